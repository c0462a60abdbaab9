//! Fetching the start of a web page over TLS, to read its title and
//! `Server` header like plain HTTP. The certificate is deliberately NOT
//! verified: office devices present self-signed or expired certificates,
//! and all we do with the connection is read a page title — we send no
//! credentials and trust nothing it says beyond displaying it, so an
//! impostor gains nothing. The handshake's signature is still checked
//! against the presented key (rustls with the ring provider). Blocking I/O
//! on a blocking-pool thread, with one deadline over the whole exchange and
//! at most [`banner::MAX_READ`] bytes read.

use super::banner;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, SignatureScheme};
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Accepts any certificate: see the module documentation for why that is
/// acceptable for reading page titles, and only for that.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn config() -> Option<Arc<rustls::ClientConfig>> {
    static CONFIG: OnceLock<Option<Arc<rustls::ClientConfig>>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let cfg = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .ok()?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
                .with_no_client_auth();
            Some(Arc::new(cfg))
        })
        .clone()
}

/// Send `request` to `ip:port` over TLS and return what came back within
/// `timeout` (at most [`banner::MAX_READ`] bytes).
pub async fn fetch(ip: IpAddr, port: u16, request: Vec<u8>, timeout: Duration) -> Option<Vec<u8>> {
    tokio::task::spawn_blocking(move || fetch_blocking(ip, port, &request, timeout))
        .await
        .ok()
        .flatten()
}

fn fetch_blocking(ip: IpAddr, port: u16, request: &[u8], timeout: Duration) -> Option<Vec<u8>> {
    let deadline = Instant::now() + timeout;
    let left = || {
        deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
    };
    let tcp = TcpStream::connect_timeout(&SocketAddr::new(ip, port), timeout).ok()?;
    tcp.set_write_timeout(left()).ok()?;
    tcp.set_read_timeout(left()).ok()?;
    let conn = rustls::ClientConnection::new(config()?, ServerName::IpAddress(ip.into())).ok()?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(request).ok()?;
    let mut buf = vec![0u8; banner::MAX_READ];
    let mut n = 0;
    while n < buf.len() {
        let Some(rest) = left() else { break };
        tls.sock.set_read_timeout(Some(rest)).ok()?;
        match tls.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    buf.truncate(n);
    Some(buf)
}
