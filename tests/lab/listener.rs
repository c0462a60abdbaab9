//! `census-lab-listener PORT... [--title T] [--server S]`: a stand-in for a
//! device's services inside a test namespace. Every port accepts TCP; web
//! ports (80, 8080, 8000, 5000) answer `GET` with a page whose title and
//! `Server` header are given, and so do 443 and 8443 over TLS with a
//! self-signed certificate (made like the collector's, in a temporary
//! directory); port 22 greets like an SSH server, others close the
//! connection. Runs until killed. Used only by the tests' labs.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

/// Answer one `GET` on `c` with a page titled `title`.
fn page(c: &mut impl ReadWrite, title: &str, server: &str) {
    let mut buf = [0u8; 2048];
    let _ = c.read(&mut buf);
    let body = format!("<html><head><title>{title}</title></head><body>lab</body></html>");
    let _ = write!(
        c,
        "HTTP/1.1 200 OK\r\nServer: {server}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = c.flush();
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

fn tls_config() -> Arc<rustls::ServerConfig> {
    let dir = std::env::temp_dir().join(format!("census-lab-tls-{}", std::process::id()));
    let id = census_collector::tls::load_or_create(&dir, &["lab.example".into()], &[])
        .expect("a self-signed certificate");
    let _ = std::fs::remove_dir_all(&dir);
    id.server_config().expect("TLS server configuration")
}

fn main() {
    let mut ports = Vec::new();
    let (mut title, mut server) = (String::from("Device"), String::from("lab"));
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--title" => title = args.next().expect("--title TEXT"),
            "--server" => server = args.next().expect("--server TEXT"),
            p => ports.push(p.parse::<u16>().expect("port")),
        }
    }
    let mut threads = Vec::new();
    let tls = ports
        .iter()
        .any(|p| [443, 8443].contains(p))
        .then(tls_config);
    for port in ports {
        let listener =
            TcpListener::bind(("0.0.0.0", port)).unwrap_or_else(|e| panic!("bind {port}: {e}"));
        let (title, server, tls) = (title.clone(), server.clone(), tls.clone());
        threads.push(std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let mut c = conn;
                match port {
                    22 => {
                        let _ = c.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
                    }
                    80 | 8080 | 8000 | 5000 => {
                        let _ = c.set_read_timeout(Some(std::time::Duration::from_secs(2)));
                        page(&mut c, &title, &server);
                    }
                    443 | 8443 => {
                        let _ = c.set_read_timeout(Some(std::time::Duration::from_secs(2)));
                        let Some(cfg) = &tls else { continue };
                        let Ok(conn) = rustls::ServerConnection::new(cfg.clone()) else {
                            continue;
                        };
                        let mut s = rustls::StreamOwned::new(conn, c);
                        page(&mut s, &title, &server);
                        s.conn.send_close_notify();
                        let _ = s.flush();
                    }
                    _ => {}
                }
            }
        }));
    }
    for t in threads {
        let _ = t.join();
    }
}
