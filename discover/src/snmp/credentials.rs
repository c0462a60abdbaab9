//! SNMP credentials: communities (v1/v2c) and SNMPv3 USM users, tried per
//! host in order. They come from the collector config (a 0600 file) or the
//! command line, and they never reach a log, an error message or an export:
//! `Debug` is redacted and the only outward names are [`Credential::label`]
//! (`community #2`, `v3 user "ops"`) and [`Credential::id`], a one-way hash
//! used to remember which credential a device answered to.

use async_snmp::{Auth, AuthProtocol, PrivProtocol, UsmConfig};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An SNMPv3 user as the config file spells it.
#[derive(Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct V3User {
    pub user: String,
    /// `md5`, `sha` (SHA-1), `sha224`, `sha256`, `sha384`, `sha512`.
    pub auth_proto: Option<String>,
    pub auth_pass: Option<String>,
    /// `des`, `aes` (AES-128), `aes192`, `aes256` (Blumenthal key
    /// extension), `aes192c`, `aes256c` (Cisco/Reeder key extension).
    pub priv_proto: Option<String>,
    pub priv_pass: Option<String>,
    /// SNMPv3 context name (empty by default).
    pub context: Option<String>,
}

impl fmt::Debug for V3User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "V3User({:?}, secrets redacted)", self.user)
    }
}

/// One credential, ready to use.
#[derive(Clone)]
pub struct Credential {
    label: String,
    id: String,
    version: &'static str,
    auth: Auth,
    des: bool,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credential({})", self.label)
    }
}

/// A credential that cannot be used, and why.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "SNMPv3 user {user:?}: unknown auth protocol {proto:?} (use md5, sha, sha224, sha256, sha384 or sha512)"
    )]
    AuthProto { user: String, proto: String },
    #[error(
        "SNMPv3 user {user:?}: unknown privacy protocol {proto:?} (use des, aes, aes192, aes256, aes192c or aes256c)"
    )]
    PrivProto { user: String, proto: String },
    #[error("SNMPv3 user {user:?}: {what}")]
    Incomplete { user: String, what: &'static str },
    #[error("SNMPv3 user {user:?}: {detail}")]
    Crypto { user: String, detail: String },
    #[error("an SNMP community is empty")]
    EmptyCommunity,
}

fn hash_id(parts: &[&[u8]]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(b"census-snmp-credential\0");
    for p in parts {
        ctx.update(&(p.len() as u64).to_be_bytes());
        ctx.update(p);
    }
    ctx.finish().as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Credential {
    /// An SNMPv2c community (`n` is its 1-based position, for the label).
    pub fn v2c(community: &str, n: usize) -> Result<Credential, CredentialError> {
        Self::community(community, n, false)
    }

    /// An SNMPv1 community, for agents that speak nothing newer.
    pub fn v1(community: &str, n: usize) -> Result<Credential, CredentialError> {
        Self::community(community, n, true)
    }

    fn community(community: &str, n: usize, v1: bool) -> Result<Credential, CredentialError> {
        if community.is_empty() {
            return Err(CredentialError::EmptyCommunity);
        }
        let version = if v1 { "v1" } else { "v2c" };
        Ok(Credential {
            label: format!("community #{n} ({version})"),
            id: hash_id(&[version.as_bytes(), community.as_bytes()]),
            version,
            auth: if v1 {
                Auth::v1(community.to_string())
            } else {
                Auth::v2c(community.to_string())
            },
            des: false,
        })
    }

    /// An SNMPv3 user: noAuthNoPriv, authNoPriv or authPriv by what is set.
    pub fn v3(u: &V3User) -> Result<Credential, CredentialError> {
        let user = u.user.clone();
        let crypto = |e: &dyn fmt::Display| CredentialError::Crypto {
            user: user.clone(),
            detail: e.to_string(),
        };
        let auth_proto = match u.auth_proto.as_deref() {
            None => None,
            Some(p) => Some(parse_auth(p).ok_or_else(|| CredentialError::AuthProto {
                user: user.clone(),
                proto: p.into(),
            })?),
        };
        let priv_proto = match u.priv_proto.as_deref() {
            None => None,
            Some(p) => Some(parse_priv(p).ok_or_else(|| CredentialError::PrivProto {
                user: user.clone(),
                proto: p.into(),
            })?),
        };
        let incomplete = |what| CredentialError::Incomplete {
            user: user.clone(),
            what,
        };
        let mut cfg = UsmConfig::new(user.clone().into_bytes());
        let level = match (auth_proto, priv_proto) {
            (None, None) => "noAuthNoPriv",
            (None, Some(_)) => return Err(incomplete("a privacy protocol needs an auth protocol")),
            (Some(a), None) => {
                let pass = u
                    .auth_pass
                    .as_deref()
                    .ok_or_else(|| incomplete("auth_pass is missing"))?;
                cfg = cfg.auth(a, pass).map_err(|e| crypto(&e))?;
                "authNoPriv"
            }
            (Some(a), Some(p)) => {
                let ap = u
                    .auth_pass
                    .as_deref()
                    .ok_or_else(|| incomplete("auth_pass is missing"))?;
                let pp = u
                    .priv_pass
                    .as_deref()
                    .ok_or_else(|| incomplete("priv_pass is missing"))?;
                cfg = cfg.auth_priv(a, ap, p, pp).map_err(|e| crypto(&e))?;
                "authPriv"
            }
        };
        if let Some(c) = &u.context {
            cfg = cfg.context_name(c.clone().into_bytes());
        }
        let id = hash_id(&[
            b"v3",
            u.user.as_bytes(),
            u.auth_proto.as_deref().unwrap_or("").as_bytes(),
            u.auth_pass.as_deref().unwrap_or("").as_bytes(),
            u.priv_proto.as_deref().unwrap_or("").as_bytes(),
            u.priv_pass.as_deref().unwrap_or("").as_bytes(),
            u.context.as_deref().unwrap_or("").as_bytes(),
        ]);
        Ok(Credential {
            label: format!("v3 user {:?} ({level})", u.user),
            id,
            version: "v3",
            auth: Auth::from(cfg),
            des: priv_proto == Some(PrivProtocol::Des),
        })
    }

    /// What to call it in output and logs (never a secret).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// A stable one-way id, for remembering which credential a device uses.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `v1`, `v2c` or `v3`.
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// DES privacy (needs salt state in the session).
    pub(crate) fn uses_des(&self) -> bool {
        self.des
    }

    pub(crate) fn auth(&self) -> Auth {
        self.auth.clone()
    }
}

fn parse_auth(s: &str) -> Option<AuthProtocol> {
    Some(
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "md5" => AuthProtocol::Md5,
            "sha" | "sha1" => AuthProtocol::Sha1,
            "sha224" => AuthProtocol::Sha224,
            "sha256" => AuthProtocol::Sha256,
            "sha384" => AuthProtocol::Sha384,
            "sha512" => AuthProtocol::Sha512,
            _ => return None,
        },
    )
}

fn parse_priv(s: &str) -> Option<PrivProtocol> {
    Some(
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "des" => PrivProtocol::Des,
            "aes" | "aes128" => PrivProtocol::Aes128,
            "aes192" => PrivProtocol::Aes192Blumenthal,
            "aes256" => PrivProtocol::Aes256Blumenthal,
            "aes192c" => PrivProtocol::Aes192Reeder,
            "aes256c" => PrivProtocol::Aes256Reeder,
            _ => return None,
        },
    )
}

/// Build the list to try: communities (v2c) first, then v3 users, in the
/// order given; the first bad entry is an error naming it.
pub fn credential_list(
    communities: &[String],
    v3: &[V3User],
) -> Result<Vec<Credential>, CredentialError> {
    let mut out = Vec::new();
    for (i, c) in communities.iter().enumerate() {
        out.push(Credential::v2c(c, i + 1)?);
    }
    for u in v3 {
        out.push(Credential::v3(u)?);
    }
    Ok(out)
}

/// Put the remembered credential (by id) first, keeping the others' order.
pub fn remembered_first(list: &[Credential], id: Option<&str>) -> Vec<Credential> {
    let mut out = list.to_vec();
    if let Some(pos) = id.and_then(|id| out.iter().position(|c| c.id() == id)) {
        let c = out.remove(pos);
        out.insert(0, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(a: Option<&str>, p: Option<&str>) -> V3User {
        V3User {
            user: "ops".into(),
            auth_proto: a.map(String::from),
            auth_pass: Some("authpass123".into()),
            priv_proto: p.map(String::from),
            priv_pass: Some("privpass123".into()),
            context: None,
        }
    }

    #[test]
    fn secrets_never_show() {
        let list = credential_list(
            &["s3cret-comm".into()],
            &[user(Some("sha256"), Some("aes"))],
        )
        .unwrap();
        let shown = format!("{list:?} {} {}", list[0].label(), list[1].label());
        for secret in ["s3cret-comm", "authpass123", "privpass123"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(list[0].label(), "community #1 (v2c)");
        assert_eq!(list[1].label(), "v3 user \"ops\" (authPriv)");
        assert_eq!(list[1].version(), "v3");
        assert_ne!(list[0].id(), Credential::v2c("other", 1).unwrap().id());
        assert_eq!(
            list[0].id(),
            Credential::v2c("s3cret-comm", 7).unwrap().id()
        );
    }

    #[test]
    fn every_protocol_parses_and_bad_ones_are_named() {
        for a in [
            "md5", "SHA", "sha1", "sha-224", "sha256", "sha384", "sha512",
        ] {
            for p in [
                None,
                Some("des"),
                Some("aes"),
                Some("aes192"),
                Some("aes256"),
                Some("aes256c"),
            ] {
                Credential::v3(&user(Some(a), p)).unwrap_or_else(|e| panic!("{a} {p:?}: {e}"));
            }
        }
        let e = Credential::v3(&user(Some("sha3"), None))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown auth protocol \"sha3\""), "{e}");
        let e = Credential::v3(&user(None, Some("aes")))
            .unwrap_err()
            .to_string();
        assert!(e.contains("needs an auth protocol"), "{e}");
        assert!(Credential::v2c("", 1).is_err());
    }

    #[test]
    fn remembered_credential_goes_first() {
        let list = credential_list(&["a".into(), "b".into(), "c".into()], &[]).unwrap();
        let order = remembered_first(&list, Some(list[2].id()));
        let labels: Vec<_> = order.iter().map(|c| c.label()).collect();
        assert_eq!(
            labels,
            [
                "community #3 (v2c)",
                "community #1 (v2c)",
                "community #2 (v2c)"
            ]
        );
        assert_eq!(remembered_first(&list, Some("nope")).len(), 3);
    }
}
