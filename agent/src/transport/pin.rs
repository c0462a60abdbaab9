//! TLS with a pinned key: the agent trusts exactly one public key, the
//! collector's, whose SHA-256 (over its SubjectPublicKeyInfo) was given at
//! enrolment. No CA, no host name check: with the pin, IP addresses work.
//! Handshake signatures are still verified with the crypto provider, so a
//! party that merely replays the certificate cannot complete a handshake.

use census_shared::pin::{spki_of_certificate, to_hex};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};
use std::sync::{Arc, Mutex};

/// The crypto provider Census uses everywhere (ring).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// SHA-256 of a certificate's public key, hex; `None` for a malformed certificate.
pub fn certificate_fingerprint(cert_der: &[u8]) -> Option<String> {
    let spki = spki_of_certificate(cert_der)?;
    Some(to_hex(
        ring::digest::digest(&ring::digest::SHA256, spki).as_ref(),
    ))
}

/// Accepts the one certificate whose key matches the pin.
#[derive(Debug)]
pub struct PinVerifier {
    pin: [u8; 32],
    provider: Arc<CryptoProvider>,
    /// The fingerprint a refused server presented, for the error message.
    pub seen: Mutex<Option<String>>,
}

impl PinVerifier {
    /// A verifier for this pin.
    pub fn new(pin: [u8; 32]) -> PinVerifier {
        PinVerifier {
            pin,
            provider: provider(),
            seen: Mutex::new(None),
        }
    }

    /// The expected fingerprint, hex.
    pub fn expected(&self) -> String {
        to_hex(&self.pin)
    }
}

impl ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let Some(spki) = spki_of_certificate(end_entity) else {
            return Err(Error::InvalidCertificate(CertificateError::BadEncoding));
        };
        let digest = ring::digest::digest(&ring::digest::SHA256, spki);
        if digest.as_ref() == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(to_hex(digest.as_ref()));
            Err(Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
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
            &self.provider.signature_verification_algorithms,
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
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A rustls client configuration that trusts only `verifier`'s pin.
pub fn client_config(verifier: Arc<PinVerifier>) -> Result<rustls::ClientConfig, Error> {
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(cfg)
}
