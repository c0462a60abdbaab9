//! The web interface in a real browser (headless Chromium through
//! chromedriver), against a collector on 127.0.0.1 populated by a scan of a
//! namespace lab and an agent: log in, see the dashboard, filter the asset
//! table, open a device whose SNMP sysName and HTTP title are script and
//! `onerror` payloads and prove nothing ran, change a restore priority and
//! see it in the plan, add a team member through the site-facts form (a
//! bad date shown next to its field, hostile text escaped, then fixed and
//! in the plan), download the XLSX plan and read it back. Also the
//! session's rules without a browser: the API with a session cookie needs
//! the anti-forgery header to change anything, a site-facts form without
//! the form token or with a bad value writes nothing, and a logged-out
//! session is refused (on SQLite and on PostgreSQL). Needs root for the
//! lab (CI is root).
//!
//! With `CENSUS_SCREENSHOTS=DIR` it saves screenshots of the main pages
//! (README's pictures).

#[path = "webdriver.rs"]
mod webdriver;

use census_tests::lab::Lab;
use census_tests::lab::office::host;
use census_tests::{Agent, Backend, Collector, fixture, free_port, ok, on_both_backends};
use std::io::Write;
use std::process::{Command, Stdio};
use webdriver::Browser;

const NET: &str = "198.51.100";
const PASSWORD: &str = "correct horse battery staple";
const TITLE_XSS: &str = "<script>document.title='pwned-title'</script><img src=x onerror=\"document.title='pwned-img'\">";
const SYSNAME_XSS: &str = "<img src=x onerror=alert(1)>evil-switch";
const MEMBER_XSS: &str = "Dirk <script>document.title='pwned-site'</script>";

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

/// POST a URL-encoded form, with the cookie when given.
async fn post_form(
    http: &reqwest::Client,
    url: String,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut r = http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    r.body(encode(fields)).send().await.unwrap()
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
    b.submit("#whole-file");
    b.click("select[data-system=Books] option[value='1']");
    b.submit("#priorities button");
    assert!(b.url().ends_with("/site/file?saved=1"), "{}", b.url());
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
    // The processes form shows what the priorities form wrote.
    b.open(&format!("{}/site/processes", c.url));
    let priority = "return document.querySelector(\"select[name='departments[0].systems[0].priority']\").value";
    assert_eq!(b.eval(priority), "1");
    shot(&b, "site-processes");

    // A team member added through the section's form. A bad date is
    // shown next to its field and nothing is saved; what was typed stays,
    // hostile text as text.
    b.open(&format!("{}/site", c.url));
    b.submit("#sections a[href='/site/team']");
    assert!(b.url().ends_with("/site/team"), "{}", b.url());
    b.fill("input[name='members[0].name']", MEMBER_XSS);
    b.click("input[name='members[0].roles'][value=it_administrator]");
    b.click("input[name='members[0].first_contact']");
    b.fill("input[name='members[0].phone']", "+31 6 5550 0099");
    b.fill("input[name='members[0].informs']", "staff, customers");
    b.fill("input[name=reviewed]", "2026-02-30");
    b.submit("#section button[type=submit]");
    let error = b.text("[data-field=reviewed] .field-error");
    assert!(error.contains("\"2026-02-30\" is not a date"), "{error}");
    assert_eq!(b.count(".field-error"), 1, "{}", b.text("#section"));
    let name = "return document.querySelector(\"input[name='members[0].name']\").value";
    assert_eq!(b.eval(name), MEMBER_XSS, "the input is kept");
    assert!(
        b.source()
            .contains("&lt;script&gt;document.title='pwned-site'"),
        "the row's legend shows the name as text"
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('script').length"),
        0
    );
    assert_eq!(b.alert(), None);
    assert!(!b.title().contains("pwned"), "{}", b.title());
    shot(&b, "site-team");
    let plan = ok(c.admin(&["plan", "--format", "json"]));
    assert!(!plan.contains("Dirk"), "nothing was saved");
    // Fixed, it is saved and the member is in the plan.
    b.fill("input[name=reviewed]", "2026-03-01");
    b.submit("#section button[type=submit]");
    assert!(b.url().ends_with("/site/team?saved=1"), "{}", b.url());
    assert_eq!(b.count("#saved"), 1);
    assert_eq!(
        b.count("input[name='members[1].name']"),
        1,
        "one empty row to add"
    );
    let plan = ok(c.admin(&["plan", "--format", "json"]));
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let member = plan["team"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == MEMBER_XSS)
        .unwrap_or_else(|| panic!("{}", plan["team"]));
    assert_eq!(member["roles"], serde_json::json!(["it_administrator"]));
    assert_eq!(member["first_contact"], true);
    assert_eq!(member["phone"], "+31 6 5550 0099");
    assert_eq!(member["informs"], serde_json::json!(["staff", "customers"]));
    let books = plan["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["system"] == "Books")
        .unwrap();
    assert_eq!(books["priority"], 1, "the other sections are kept: {books}");

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

on_both_backends!(sessions_need_the_form_token_to_change_anything_and_end_at_logout);

fn sessions_need_the_form_token_to_change_anything_and_end_at_logout(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &backend.config(),
    );
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
        let r = post_form(
            &http,
            format!("{}/login", c.url),
            None,
            &[("user", "admin"), ("password", PASSWORD), ("csrf", &csrf)],
        )
        .await;
        assert_eq!(r.status(), 403);
        let r = post_form(
            &http,
            format!("{}/login", c.url),
            Some(&login_value[..]),
            &[("user", "admin"), ("password", PASSWORD), ("csrf", &csrf)],
        )
        .await;
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
        let r = post_form(
            &http,
            format!("{}/agents/tokens", c.url),
            Some(&cookie[..]),
            &[("csrf", "forged"), ("label", "x")],
        )
        .await;
        assert_eq!(r.status(), 403);
        // With it, the new token comes with the Linux and the Windows line.
        let page = post_form(
            &http,
            format!("{}/agents/tokens", c.url),
            Some(&cookie[..]),
            &[("csrf", &token), ("label", "office")],
        )
        .await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        for part in [
            "/install.sh | sudo sh -s -- --token cen_",
            "/install.ps1",
            "-Token &#39;cen_",
        ] {
            assert!(page.contains(part), "{part} in {page}");
        }

        // A site-facts form: refused without the token; with it, a value
        // that fails the checks is a 422 and writes nothing.
        let site = c.data_dir.join("site.toml");
        for (csrf, status) in [("forged", 403), (token.as_str(), 422)] {
            let r = post_form(
                &http,
                format!("{}/site/organisation", c.url),
                Some(&cookie[..]),
                &[("csrf", csrf), ("name", "Kantoor"), ("reviewed", "soon")],
            )
            .await;
            assert_eq!(r.status(), status);
            assert!(!site.exists());
        }
        let r = post_form(
            &http,
            format!("{}/site/organisation", c.url),
            Some(&cookie[..]),
            &[("csrf", &token), ("name", "Kantoor")],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert!(std::fs::read_to_string(&site).unwrap().contains("Kantoor"));

        // An admin API token made on the agents page works on the API.
        let page = post_form(
            &http,
            format!("{}/agents/api-tokens", c.url),
            Some(&cookie[..]),
            &[
                ("csrf", &token),
                ("name", "backup script"),
                ("expires", "30d"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
        let made = page
            .split("id=\"new-api-token\"")
            .nth(1)
            .and_then(|p| p.split("<pre>").nth(1))
            .and_then(|p| p.split("</pre>").next())
            .unwrap_or_default()
            .to_string();
        assert!(made.starts_with("cap_"), "{page}");
        let r = http
            .get(format!("{}/api/v1/agents", c.url))
            .bearer_auth(&made)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);

        // The encrypted offline copy from the plan page: decrypted with the
        // standard age tool, it holds the manifest, the plan and the data.
        let key = dir.path().join("key.txt");
        let made = Command::new("age-keygen")
            .arg("-o")
            .arg(&key)
            .output()
            .unwrap();
        assert!(made.status.success());
        let public = Command::new("age-keygen")
            .arg("-y")
            .arg(&key)
            .output()
            .unwrap();
        let public = String::from_utf8(public.stdout).unwrap().trim().to_string();
        let r = post_form(
            &http,
            format!("{}/plan/export", c.url),
            Some(&cookie[..]),
            &[("csrf", &token), ("recipient", &public), ("lang", "en")],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains(".age")
        );
        let archive = dir.path().join("export.age");
        std::fs::write(&archive, r.bytes().await.unwrap()).unwrap();
        let plain = Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&key)
            .arg(&archive)
            .output()
            .unwrap();
        assert!(
            plain.status.success(),
            "{}",
            String::from_utf8_lossy(&plain.stderr)
        );
        let tar = dir.path().join("export.tar");
        std::fs::write(&tar, &plain.stdout).unwrap();
        let list = Command::new("tar").arg("tf").arg(&tar).output().unwrap();
        let list = String::from_utf8(list.stdout).unwrap();
        for f in ["MANIFEST.json", "plan/plan.html", "data/census.db"] {
            assert!(
                list.lines()
                    .any(|l| l.trim_start_matches("./") == f || l.ends_with(f)),
                "{f} not in {list}"
            );
        }
        let r = post_form(
            &http,
            format!("{}/plan/export", c.url),
            Some(&cookie[..]),
            &[("csrf", &token), ("recipient", "age1notakey")],
        )
        .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("is not an age public key"));

        // A session past its end is refused like no session: a second
        // login, its end moved into the past in the database.
        let r = post_form(
            &http,
            format!("{}/login", c.url),
            Some(&login_value[..]),
            &[("user", "admin"), ("password", PASSWORD), ("csrf", &csrf)],
        )
        .await;
        assert_eq!(r.status(), 303);
        let second = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("__Host-census_session="))
            .unwrap();
        let second = second.split(';').next().unwrap().to_string();
        let check = |cookie: String| {
            let http = http.clone();
            let url = c.url.clone();
            async move {
                let api = http
                    .get(format!("{url}/api/v1/tokens"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap()
                    .status();
                let page = http
                    .get(format!("{url}/"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap();
                (
                    api.as_u16(),
                    page.status().as_u16(),
                    page.headers()
                        .get("location")
                        .map(|l| l.to_str().unwrap().to_string()),
                )
            }
        };
        assert_eq!(check(second.clone()).await, (200, 200, None));
        let value = second.split_once('=').unwrap().1;
        let hash = census_collector::secrets::hash(value);
        let past = "2000-01-01 00:00:00+00:00";
        let aged = match &backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", c.data_dir.join("census.db").display());
                let db = sqlx::SqlitePool::connect(&url).await.unwrap();
                let r = sqlx::query("UPDATE sessions SET expires_at = ? WHERE id_hash = ?")
                    .bind(past)
                    .bind(&hash)
                    .execute(&db)
                    .await
                    .unwrap();
                db.close().await;
                r.rows_affected()
            }
            Backend::Postgres(pg) => {
                let db = sqlx::PgPool::connect(&pg.url).await.unwrap();
                let r = sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
                    .bind(past)
                    .bind(&hash)
                    .execute(&db)
                    .await
                    .unwrap();
                db.close().await;
                r.rows_affected()
            }
        };
        assert_eq!(aged, 1);
        let (api, page, location) = check(second).await;
        assert_eq!((api, page), (401, 303));
        assert!(location.unwrap().starts_with("/login"));
        // The first session is untouched.
        assert_eq!(check(cookie.clone()).await.0, 200);

        // After logout the cookie is worthless, on pages and on the API.
        let r = post_form(
            &http,
            format!("{}/logout", c.url),
            Some(&cookie[..]),
            &[("csrf", &token)],
        )
        .await;
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
            let r = post_form(
                &http,
                format!("{}/login", c.url),
                Some(&login_value[..]),
                &[
                    ("user", "admin"),
                    ("password", "wrong-password-x"),
                    ("csrf", &csrf),
                ],
            )
            .await;
            statuses.push(r.status().as_u16());
        }
        assert!(statuses.contains(&429), "{statuses:?}");
        assert!(
            statuses.iter().all(|s| *s == 401 || *s == 429),
            "{statuses:?}"
        );
    });
}
