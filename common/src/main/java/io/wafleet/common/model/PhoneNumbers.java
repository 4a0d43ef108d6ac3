package io.wafleet.common.model;

import java.util.regex.Pattern;

/** E.164 validation and masking. Full phone numbers never go to logs or lists. */
public final class PhoneNumbers {

  /** E.164: '+', a non-zero first digit, at most 15 digits in all (ITU-T E.164 §6.1). */
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private PhoneNumbers() {}

  public static boolean isE164(String phone) {
    return phone != null && E164.matcher(phone).matches();
  }

  /** "+40700000001" → "+*******0001"; anything short or null is fully masked. */
  public static String mask(String phone) {
    if (phone == null || phone.length() <= 4) {
      return "****";
    }
    int keep = 4;
    int start = phone.startsWith("+") ? 1 : 0;
    StringBuilder out = new StringBuilder(phone.length());
    if (start == 1) {
      out.append('+');
    }
    for (int i = start; i < phone.length() - keep; i++) {
      out.append('*');
    }
    return out.append(phone, phone.length() - keep, phone.length()).toString();
  }

  /** The digits WhatsApp uses as the JID user part: "+40700000001" → "40700000001". */
  public static String digits(String phoneE164) {
    if (!isE164(phoneE164)) {
      throw new IllegalArgumentException("phone is not E.164");
    }
    return phoneE164.substring(1);
  }
}
