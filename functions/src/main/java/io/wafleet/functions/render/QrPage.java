package io.wafleet.functions.render;

/**
 * The page behind {@code GET /v1/accounts/{id}/qr?format=html}: it holds no secret and reads nothing
 * from the store. It asks the operator for the admin token once, keeps it in {@code sessionStorage}
 * (this tab only, never in a URL), and polls {@code ?format=json} with {@code X-Admin-Token}; when the
 * QR ref rotates it fetches the PNG the same way and redraws it. Stateless; thread-safe.
 */
public final class QrPage {

  private QrPage() {}

  /** @param nonce the response's Content-Security-Policy nonce, carried by the style and script elements */
  public static String render(String accountId, String nonce) {
    String base = "/v1/accounts/" + Html.escape(accountId) + "/qr";
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>wafleet · link account</title>
        <style nonce="NONCE">
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f6f8;color:#1d2733;
        display:flex;flex-direction:column;align-items:center;padding:32px}
        #box{background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px rgba(0,0,0,.12);text-align:center}
        #qr{width:320px;height:320px;image-rendering:pixelated;display:none}
        #state{margin-top:12px;font-size:18px}
        small{color:#5b6b7b}
        </style></head><body>
        <h1>Link account <code>ACCOUNT_ID</code></h1>
        <div id="box"><img id="qr" alt="WhatsApp pairing QR"><div id="state">Starting…</div>
        <small>WhatsApp → Linked devices → Link a device. The code rotates; this page follows it.</small></div>
        <script nonce="NONCE">
        const base = "BASE";
        function token() {
          let t = sessionStorage.getItem("wafleetAdminToken");
          if (!t) { t = prompt("Admin token (kept in this tab only)"); if (t) sessionStorage.setItem("wafleetAdminToken", t); }
          return t;
        }
        let shown = null;
        async function poll() {
          const state = document.getElementById("state"), img = document.getElementById("qr");
          try {
            const r = await fetch(base + "?format=json", {headers: {"X-Admin-Token": token() || ""}, cache: "no-store"});
            if (r.status === 401) { sessionStorage.removeItem("wafleetAdminToken"); state.textContent = "Token refused."; return setTimeout(poll, 1000); }
            if (r.status === 409) { img.style.display = "none"; state.textContent = "Connected ✓"; return; }
            if (r.status === 404) { img.style.display = "none"; state.textContent = "No such account."; return; }
            if (r.status === 202) { img.style.display = "none"; state.textContent = "Waiting for a QR…"; }
            if (r.status === 200) {
              const body = await r.json();
              if (body.qr !== shown) {
                const png = await fetch(base, {headers: {"X-Admin-Token": token() || ""}, cache: "no-store"});
                if (png.status === 200) { img.src = URL.createObjectURL(await png.blob()); img.style.display = "inline"; shown = body.qr; }
              }
              state.textContent = "Scan before " + new Date(body.expiresAt).toLocaleTimeString();
            }
          } catch (e) { state.textContent = "Cannot reach the API; retrying…"; }
          setTimeout(poll, 2000);
        }
        poll();
        </script></body></html>
        """.replace("ACCOUNT_ID", Html.escape(accountId)).replace("BASE", base)
        .replace("NONCE", Html.escape(nonce));
  }
}
