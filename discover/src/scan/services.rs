//! Asking an open TCP port what it is: `GET /` on web ports (page title,
//! `Server` header; over TLS on 443 and 8443 through `https`), the
//! greeting on SSH. Reads are bounded by
//! [`banner::MAX_READ`] and by time; parsing is in [`banner`].

use super::{banner, https};
use census_shared::observation::Service;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Ask an open port what it is: HTTP `GET /` on web ports (TLS on 443 and
/// 8443), the greeting on SSH. Reads at most [`banner::MAX_READ`] bytes.
pub async fn identify(ip: IpAddr, port: u16, timeout: Duration) -> Option<Service> {
    let get = || {
        let host = match ip {
            IpAddr::V6(v6) => format!("[{v6}]"),
            v4 => v4.to_string(),
        };
        format!(
            "GET / HTTP/1.0\r\nHost: {host}\r\nUser-Agent: census-scan\r\nConnection: close\r\n\r\n"
        )
    };
    let (name, request): (&str, Option<String>) = match port {
        22 => ("ssh", None),
        80 | 8000 | 8080 | 5000 => ("http", Some(get())),
        443 | 8443 => {
            let data = https::fetch(ip, port, get().into_bytes(), timeout * 2).await?;
            let (product, detail) = banner::parse_http(&data);
            return Some(Service {
                port,
                protocol: "tcp".into(),
                name: "https".into(),
                product,
                detail,
            });
        }
        _ => return None,
    };
    let fut = async {
        let mut s = TcpStream::connect(SocketAddr::new(ip, port)).await.ok()?;
        if let Some(r) = &request {
            s.write_all(r.as_bytes()).await.ok()?;
        }
        let mut buf = vec![0u8; banner::MAX_READ];
        let mut n = 0;
        while n < buf.len() {
            match s.read(&mut buf[n..]).await {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
            if name == "ssh" && buf[..n].contains(&b'\n') {
                break;
            }
        }
        Some(buf[..n].to_vec())
    };
    let data = tokio::time::timeout(timeout * 2, fut)
        .await
        .ok()
        .flatten()?;
    let (product, detail) = match name {
        "ssh" => (banner::parse_ssh(&data), None),
        _ => banner::parse_http(&data),
    };
    Some(Service {
        port,
        protocol: "tcp".into(),
        name: name.into(),
        product,
        detail,
    })
}
