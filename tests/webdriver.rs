//! A small W3C WebDriver client for the browser tests: Debian's
//! `chromedriver` driving headless `chromium` (packages chromium and
//! chromium-driver), started on a free loopback port with a throw-away
//! profile and download directory, both removed on drop. Chromium runs
//! with background networking off, so it only talks to the pages a test
//! opens (all on 127.0.0.1).

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    rt: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
}

impl Browser {
    /// Start chromedriver and a headless Chromium session.
    pub fn start() -> Browser {
        let dir = tempfile::Builder::new()
            .prefix("census-browser")
            .tempdir()
            .unwrap();
        let port = crate::free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "chromedriver (Debian package chromium-driver) is needed for the browser tests",
            );
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = rt.block_on(async {
                match http.get(format!("{base}/status")).send().await {
                    Ok(r) => r
                        .json::<Value>()
                        .await
                        .ok()
                        .and_then(|v| v["value"]["ready"].as_bool())
                        .unwrap_or(false),
                    Err(_) => false,
                }
            });
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let downloads = dir.path().join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let profile = dir.path().join("profile");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-GB",
                         format!("--user-data-dir={}", profile.display())],
                "prefs": {"download.default_directory": downloads.display().to_string(),
                          "download.prompt_for_download": false,
                          "intl.accept_languages": "en-GB,en"}
            }
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            http,
            rt,
            dir,
        };
        let v = b.call(reqwest::Method::POST, "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        b
    }

    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        self.rt.block_on(async {
            let mut r = self.http.request(method, url);
            if let Some(b) = body {
                r = r.json(&b);
            }
            let v: Value = r.send().await.unwrap().json().await.unwrap();
            v["value"].clone()
        })
    }

    fn ok(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let v = self.call(method, path, body);
        assert!(v.get("error").is_none(), "webdriver {path}: {v}");
        v
    }

    /// Open a URL and wait for it to load.
    pub fn open(&self, url: &str) {
        self.ok(reqwest::Method::POST, "/url", Some(json!({"url": url})));
    }

    /// The current URL.
    pub fn url(&self) -> String {
        self.ok(reqwest::Method::GET, "/url", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The page's title.
    pub fn title(&self) -> String {
        self.ok(reqwest::Method::GET, "/title", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The page source as the browser holds it now.
    pub fn source(&self) -> String {
        self.ok(reqwest::Method::GET, "/source", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn element(&self, css: &str) -> String {
        let v = self.ok(
            reqwest::Method::POST,
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    /// How many elements match.
    pub fn count(&self, css: &str) -> usize {
        self.ok(
            reqwest::Method::POST,
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )
        .as_array()
        .map_or(0, Vec::len)
    }

    /// Replace the text of an input.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.ok(
            reqwest::Method::POST,
            &format!("/element/{e}/clear"),
            Some(json!({})),
        );
        self.ok(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    /// Click an element (a button submits its form and the page loads).
    pub fn click(&self, css: &str) {
        let e = self.element(css);
        self.ok(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            Some(json!({})),
        );
    }

    /// Click something that loads a new page (a form's button, a link) and
    /// wait until the new page has loaded: the old document carries a
    /// marker the new one does not.
    pub fn submit(&self, css: &str) {
        self.eval("window.__censusOld = true; return null");
        self.click(css);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = self.call(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({"script": "return window.__censusOld !== true && document.readyState === 'complete'", "args": []})),
            );
            if v == Value::Bool(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after clicking {css}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The visible text of an element.
    pub fn text(&self, css: &str) -> String {
        let e = self.element(css);
        self.ok(reqwest::Method::GET, &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Run a script in the page (WebDriver's own channel, not the page's).
    pub fn eval(&self, script: &str) -> Value {
        self.ok(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The text of an open alert, if one is open.
    pub fn alert(&self) -> Option<String> {
        let v = self.call(reqwest::Method::GET, "/alert/text", None);
        v.as_str().map(String::from)
    }

    /// A PNG screenshot of the window.
    pub fn screenshot(&self, to: &Path) {
        let v = self.ok(reqwest::Method::GET, "/screenshot", None);
        std::fs::write(to, base64_decode(v.as_str().unwrap())).unwrap();
    }

    /// Wait for a download whose name ends with `suffix`; its path.
    pub fn downloaded(&self, suffix: &str) -> PathBuf {
        let dir = self.dir.path().join("downloads");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(p) = std::fs::read_dir(&dir)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(suffix))
            {
                return p;
            }
            assert!(
                Instant::now() < deadline,
                "no download ending in {suffix} in {}",
                dir.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call(reqwest::Method::DELETE, "", None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 (padding optional).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
