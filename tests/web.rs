//! The web interface in a real browser (headless Chromium through
//! chromedriver), against a collector on 127.0.0.1 populated by a scan of a
//! namespace lab and an agent: log in, see the dashboard, filter the asset
//! table, open a device whose SNMP sysName and HTTP title are script and
//! `onerror` payloads and prove nothing ran, change a restore priority and
//! see it in the plan, download the XLSX plan and read it back. Also the
//! session's rules without a browser: the API with a session cookie needs
//! the anti-forgery header to change anything, and a logged-out session is
//! refused. Needs root for the lab (CI is root).
//!
//! With `CENSUS_SCREENSHOTS=DIR` it saves screenshots of the main pages
//! (README's pictures).

#[path = "webdriver.rs"]
mod webdriver;

use census_tests::lab::Lab;
use census_tests::lab::office::host;
use census_tests::{Agent, Collector, fixture, free_port, ok};
use std::io::Write;
use std::process::{Command, Stdio};
use webdriver::Browser;

const NET: &str = "198.51.100";
const PASSWORD: &str = "correct horse battery staple";
const TITLE_XSS: &str = "<script>document.title='pwned-title'</script><img src=x onerror=\"document.title='pwned-img'\">";
const SYSNAME_XSS: &str = "<img src=x onerror=alert(1)>evil-switch";

const SITE: &str = r#"
[organisation]
name = "Bakkerij De Korenschoof"

[processes]
reviewed = "2026-11-01"

[[processes.departments]]
name = "Finance"
[[processes.departments.systems]]
name = "Books"
data = "Accounts"
priority = 3
"#;

fn set_password(c: &Collector) {
    let mut child = Command::new(census_tests::bin("census-collector"))
        .args([
            "--config",
            c.config.to_str().unwrap(),
            "admin",
            "set-password",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A form body, URL-encoded.
fn encode(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn shot(b: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("CENSUS_SCREENSHOTS") {
        std::fs::create_dir_all(&dir).unwrap();
        b.screenshot(&std::path::Path::new(&dir).join(format!("{name}.png")));
    }
}

#[test]
fn the_web_interface_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    set_password(&c);
    std::fs::write(c.data_dir.join("site.toml"), SITE).unwrap();
    let agent = Agent::enroll(&c, &dir.path().join("agent"), &fixture("rhel9-server"));
    ok(agent.run_once());

    let mut evil = host(20, "02:00:00:00:00:20", &[80], TITLE_XSS, "lab");
    evil.snmp = Some((SYSNAME_XSS.into(), "Linux evil 5.10.0 x86_64".into()));
    let lab = Lab::build(
        NET,
        &[evil],
        &census_tests::workspace_bin("census-lab-listener"),
        &[],
    );
    let out = lab
        .in_scanner(&census_tests::bin("census-collector"))
        .args(["--config", c.config.to_str().unwrap(), "--log", "warn"])
        .args([
            "scan",
            &format!("{NET}.20"),
            "--timeout",
            "500",
            "--no-dns",
            "--save",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ok(c.admin(&["assets", "recompute"]));

    let b = Browser::start();
    // Without a session every page leads to the login form.
    b.open(&format!("{}/assets", c.url));
    assert!(b.url().contains("/login?next=/assets"), "{}", b.url());
    shot(&b, "login");
    b.fill("input[name=password]", "wrong password!!");
    b.submit("#login");
    assert!(
        b.source().contains("Wrong user name or password."),
        "the browser asked for English"
    );
    b.fill("input[name=password]", PASSWORD);
    b.submit("#login");
    assert!(
        b.url().ends_with("/assets"),
        "after login: {} {}",
        b.url(),
        b.source()
    );

    // Dashboard: counts per category, the last scan, what to complete.
    b.open(&format!("{}/", c.url));
    let counts = b.text("#counts");
    assert!(counts.contains("Servers"), "{counts}");
    assert!(b.text("#last-scan").contains(&format!("{NET}.20")));
    assert!(b.source().contains("To complete"));
    shot(&b, "dashboard");

    // The asset table, filtered by search and by category.
    b.open(&format!("{}/assets", c.url));
    let all = b.count("#assets tbody tr");
    assert_eq!(
        all,
        2,
        "the server and the lab device: {}",
        b.text("#assets")
    );
    shot(&b, "assets");
    b.fill("#q", "7XJ4K93");
    b.submit("#filter");
    assert_eq!(b.count("#assets tbody tr"), 1, "{}", b.text("#assets"));
    b.fill("#q", "");
    b.click("select#category option[value=printer]");
    b.submit("#filter");
    assert_eq!(b.count("#assets tbody tr"), 0, "{}", b.text("#assets"));

    // The hostile device: its strings are shown as text and nothing runs.
    b.fill("#q", &format!("{NET}.20"));
    b.click("select#category option[value='']");
    b.submit("#filter");
    assert_eq!(b.count("#assets tbody tr"), 1, "{}", b.text("#assets"));
    b.submit("#assets tbody tr td a");
    assert!(b.url().contains("/assets/a-"), "{}", b.url());
    let page = b.source();
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;evil-switch"),
        "sysName shown escaped"
    );
    assert!(
        page.contains("&lt;script&gt;document.title="),
        "HTTP title shown escaped"
    );
    assert_eq!(b.alert(), None, "an alert opened");
    assert!(
        !b.title().contains("pwned"),
        "title changed to {}",
        b.title()
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('main img, main script').length"),
        0
    );
    shot(&b, "asset");

    // A restore priority changed in the browser reaches the plan.
    b.open(&format!("{}/site", c.url));
    b.click("select[data-system=Books] option[value='1']");
    b.submit("#priorities button");
    assert!(b.url().ends_with("/site?saved=1"), "{}", b.url());
    shot(&b, "site");
    let plan = ok(c.admin(&["plan", "--format", "json"]));
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let books = plan["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["system"] == "Books")
        .unwrap();
    assert_eq!(books["priority"], 1, "{books}");
    b.open(&format!("{}/plan/preview?lang=en", c.url));
    assert!(b.source().contains("Books"));

    // The XLSX plan downloaded from the plan page.
    b.open(&format!("{}/plan?lang=en", c.url));
    shot(&b, "plan");
    b.click("#download-xlsx");
    let file = b.downloaded(".xlsx");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let mut cells = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                cells.push_str(&cell.to_string());
                cells.push('\t');
            }
        }
    }
    assert!(
        cells.contains("7XJ4K93"),
        "the server's serial in the workbook"
    );
    assert!(cells.contains("Books"));

    // Agents and scans pages render with their data.
    b.open(&format!("{}/agents", c.url));
    assert!(b.text("#agents").contains(&agent.id));
    shot(&b, "agents");
    b.open(&format!("{}/scans", c.url));
    assert!(b.text("#saved").contains(&format!("{NET}.20")));
    shot(&b, "scans");
    drop(lab);
}

#[test]
fn sessions_need_the_form_token_to_change_anything_and_end_at_logout() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    set_password(&c);
    let http = c.client_no_redirects();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        // The login form's own token and cookie.
        let r = http.get(format!("{}/login", c.url)).send().await.unwrap();
        let login_cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("__Host-census_login="))
            .unwrap();
        assert!(
            login_cookie.contains("HttpOnly")
                && login_cookie.contains("Secure")
                && login_cookie.contains("SameSite=Strict")
        );
        let login_value = login_cookie.split(';').next().unwrap().to_string();
        let page = r.text().await.unwrap();
        let csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();

        // A login without the cookie is refused as forged.
        let r = http
            .post(format!("{}/login", c.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&[
                ("user", "admin"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = http
            .post(format!("{}/login", c.url))
            .header("cookie", &login_value)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&[
                ("user", "admin"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let session = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("__Host-census_session="))
            .unwrap();
        for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(session.contains(attr), "{session} lacks {attr}");
        }
        let cookie = session.split(';').next().unwrap().to_string();

        // The dashboard's forms carry the session's token.
        let page = http
            .get(format!("{}/", c.url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("script-src 'none'"), "{csp}");
        let page = page.text().await.unwrap();
        let token = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();

        // The API with the cookie: reads yes; changes only with the header.
        let r = http
            .get(format!("{}/api/v1/tokens", c.url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r = http
            .post(format!("{}/api/v1/tokens", c.url))
            .header("cookie", &cookie)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = http
            .post(format!("{}/api/v1/tokens", c.url))
            .header("cookie", &cookie)
            .header("x-csrf-token", &token)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        // A form without the token changes nothing.
        let r = http
            .post(format!("{}/agents/tokens", c.url))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&[("csrf", "forged"), ("label", "x")]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);

        // After logout the cookie is worthless, on pages and on the API.
        let r = http
            .post(format!("{}/logout", c.url))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&[("csrf", &token)]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let r = http
            .get(format!("{}/api/v1/tokens", c.url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = http
            .get(format!("{}/", c.url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login")
        );

        // Wrong passwords are rate-limited per address.
        let mut statuses = Vec::new();
        for _ in 0..8 {
            let r = http
                .post(format!("{}/login", c.url))
                .header("cookie", &login_value)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encode(&[
                    ("user", "admin"),
                    ("password", "wrong-password-x"),
                    ("csrf", &csrf),
                ]))
                .send()
                .await
                .unwrap();
            statuses.push(r.status().as_u16());
        }
        assert!(statuses.contains(&429), "{statuses:?}");
        assert!(
            statuses.iter().all(|s| *s == 401 || *s == 429),
            "{statuses:?}"
        );
    });
}
