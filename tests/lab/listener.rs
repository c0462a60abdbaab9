//! `census-lab-listener PORT... [--title T] [--server S]`: a stand-in for a
//! device's services inside a test namespace. Every port accepts TCP; web
//! ports (80, 8080, 8000, 5000) answer `GET` with a page whose title and
//! `Server` header are given, port 22 greets like an SSH server, others
//! close the connection. Runs until killed. Used only by the tests' labs.

use std::io::{Read, Write};
use std::net::TcpListener;

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
    for port in ports {
        let listener =
            TcpListener::bind(("0.0.0.0", port)).unwrap_or_else(|e| panic!("bind {port}: {e}"));
        let (title, server) = (title.clone(), server.clone());
        threads.push(std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let mut c = conn;
                match port {
                    22 => {
                        let _ = c.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
                    }
                    80 | 8080 | 8000 | 5000 => {
                        let _ = c.set_read_timeout(Some(std::time::Duration::from_secs(2)));
                        let mut buf = [0u8; 2048];
                        let _ = c.read(&mut buf);
                        let body = format!("<html><head><title>{title}</title></head><body>lab</body></html>");
                        let _ = write!(
                            c,
                            "HTTP/1.1 200 OK\r\nServer: {server}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
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
