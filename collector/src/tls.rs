//! The collector's TLS identity: on first start a P-256 key and a
//! self-signed certificate (SANs: the host's names and addresses, plus
//! localhost) are written to the data directory; later starts reuse them, so
//! the fingerprint that agents pinned stays valid. The fingerprint is the
//! SHA-256 of the certificate's SubjectPublicKeyInfo.

use anyhow::{Context, Result};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

/// The TLS material of a collector.
pub struct Identity {
    /// Certificate chain (one self-signed certificate).
    pub cert_der: Vec<u8>,
    /// The private key, PKCS#8 DER.
    pub key_der: Vec<u8>,
    /// SHA-256 of the public key, hex.
    pub fingerprint: String,
    /// True when this start created the key.
    pub created: bool,
}

/// Load `tls/cert.pem` and `tls/key.pem` from the data directory, creating
/// them when absent. `names` and `addrs` become the certificate's SANs.
pub fn load_or_create(data_dir: &Path, names: &[String], addrs: &[IpAddr]) -> Result<Identity> {
    let dir = data_dir.join("tls");
    let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
    let created = !cert_path.exists() || !key_path.exists();
    if created {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let key = rcgen::KeyPair::generate().context("generating the TLS key")?;
        let mut sans: Vec<String> = names.to_vec();
        sans.push("localhost".into());
        sans.sort();
        sans.dedup();
        let mut params = rcgen::CertificateParams::new(sans).context("certificate names")?;
        for a in addrs {
            params.subject_alt_names.push(rcgen::SanType::IpAddress(*a));
        }
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Census collector");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "Census");
        params.not_before = rcgen::date_time_ymd(2024, 1, 1);
        params.not_after = rcgen::date_time_ymd(2124, 1, 1);
        let cert = params
            .self_signed(&key)
            .context("signing the certificate")?;
        census_agent::config::write_private(&key_path, key.serialize_pem().as_bytes())
            .with_context(|| format!("writing {}", key_path.display()))?;
        std::fs::write(&cert_path, cert.pem())
            .with_context(|| format!("writing {}", cert_path.display()))?;
    }
    let cert_der = CertificateDer::from_pem_file(&cert_path)
        .with_context(|| format!("reading the certificate {}", cert_path.display()))?
        .to_vec();
    let key_der = PrivateKeyDer::from_pem_file(&key_path)
        .with_context(|| format!("reading the private key {}", key_path.display()))?
        .secret_der()
        .to_vec();
    let fingerprint = census_agent::transport::pin::certificate_fingerprint(&cert_der)
        .context("the certificate is malformed: move the tls directory away to create a new one (agents must then re-enrol)")?;
    Ok(Identity {
        cert_der,
        key_der,
        fingerprint,
        created,
    })
}

impl Identity {
    /// A rustls server configuration offering HTTP/2 and HTTP/1.1.
    pub fn server_config(&self) -> Result<Arc<rustls::ServerConfig>> {
        let key = PrivateKeyDer::try_from(self.key_der.clone())
            .map_err(|e| anyhow::anyhow!("private key: {e}"))?;
        let mut cfg =
            rustls::ServerConfig::builder_with_provider(census_agent::transport::pin::provider())
                .with_safe_default_protocol_versions()?
                .with_no_client_auth()
                .with_single_cert(vec![CertificateDer::from(self.cert_der.clone())], key)
                .context("the TLS key does not match the certificate")?;
        cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(cfg))
    }

    /// curl's `--pinnedpubkey` form of the fingerprint.
    pub fn curl_pin(&self) -> String {
        census_shared::pin::curl_pin(&self.fingerprint).unwrap_or_default()
    }
}
