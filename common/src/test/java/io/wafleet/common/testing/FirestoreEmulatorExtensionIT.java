package io.wafleet.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two test classes' extensions on the one emulator at once: each sees only its own class's
 * documents, and a reset of one leaves the other's data as it was. This is what lets test classes
 * run in parallel. The two classes are stand-ins (never run as tests themselves).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirestoreEmulatorExtensionIT {

  /** Stand-ins for two test classes; only their names matter. */
  static final class FirstClass {}

  static final class SecondClass {}

  @Test
  void twoClasses_seeOnlyTheirOwnDocuments_andAResetOfOneLeavesTheOthersDataIntact() throws Exception {
    FirestoreEmulatorExtension first = new FirestoreEmulatorExtension();
    FirestoreEmulatorExtension second = new FirestoreEmulatorExtension();
    first.open(FirstClass.class);
    second.open(SecondClass.class);
    try {
      assertNotEquals(first.projectId(), second.projectId());
      first.reset();
      second.reset();
      // The same collection and document id in both projects, with different contents.
      write(first.firestore(), "acc-1", "first");
      write(second.firestore(), "acc-1", "second");
      write(second.firestore(), "acc-2", "second");

      assertEquals(Map.of("acc-1", "first"), documents(first.firestore()));
      assertEquals(Map.of("acc-1", "second", "acc-2", "second"), documents(second.firestore()));

      first.reset();

      assertTrue(documents(first.firestore()).isEmpty(), "the reset emptied its own project");
      assertEquals(Map.of("acc-1", "second", "acc-2", "second"), documents(second.firestore()),
          "the other class's data is intact");
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void projectIds_areDistinctForOneSimpleNameInTwoPackages_andFitGoogleCloudLimits() {
    String nested = FirestoreEmulatorExtension.projectFor(FirstClass.class);
    String topLevel = FirestoreEmulatorExtension.projectFor(FirestoreEmulatorExtensionIT.class);
    assertNotEquals(nested, topLevel);
    assertNotEquals(FirestoreEmulatorExtension.projectFor(java.util.List.class),
        FirestoreEmulatorExtension.projectFor(java.awt.List.class), "java.util.List and java.awt.List");
    for (String id : List.of(nested, topLevel)) {
      assertTrue(id.matches("demo-[a-z0-9]{1,16}-[0-9a-f]{8}") && id.length() <= 30, id);
    }
  }

  private static void write(Firestore db, String id, String owner) throws Exception {
    db.collection("accounts").document(id).set(Map.of("owner", owner)).get(30, TimeUnit.SECONDS);
  }

  private static Map<String, String> documents(Firestore db) throws Exception {
    Map<String, String> byId = new java.util.TreeMap<>();
    db.collection("accounts").get().get(30, TimeUnit.SECONDS).getDocuments()
        .forEach(d -> byId.put(d.getId(), d.getString("owner")));
    return byId;
  }
}
