//! The live side of the probe: commands, `statvfs(3)` and `getifaddrs(3)` on
//! the machine the agent runs on. Commands run with `LC_ALL=C`, no stdin and
//! a time limit, so a hung package manager cannot hang the agent.

use super::{FsSpace, System};
use census_shared::report::IpNet;
#[cfg(unix)]
use std::ffi::{CStr, CString};
use std::io::{self, Read};
#[cfg(unix)]
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one command may run.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// The running machine.
pub struct Live;

impl System for Live {
    fn run(&self, program: &str, args: &[&str]) -> io::Result<Option<String>> {
        let mut child = match Command::new(program)
            .args(args)
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        // Read stdout on a thread so a chatty command cannot block on a full pipe.
        let mut stdout = child.stdout.take().expect("piped stdout");
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            stdout.read_to_end(&mut buf).map(|_| buf)
        });
        let start = Instant::now();
        let status = loop {
            if let Some(st) = child.try_wait()? {
                break st;
            }
            if start.elapsed() > COMMAND_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "`{program}` did not finish within {}s",
                        COMMAND_TIMEOUT.as_secs()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let out = reader
            .join()
            .map_err(|_| io::Error::other("reader thread panicked"))??;
        if !status.success() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            return Err(io::Error::other(format!(
                "`{program}` failed ({status}): {}",
                err.trim().chars().take(300).collect::<String>()
            )));
        }
        Ok(Some(String::from_utf8_lossy(&out).into_owned()))
    }

    #[cfg(not(unix))]
    fn statvfs(&self, _mount_point: &str) -> Option<FsSpace> {
        None // Windows volumes come from WMI (facets/storage/windows.rs).
    }

    #[cfg(not(unix))]
    fn if_addresses(&self) -> io::Result<Vec<(String, IpNet)>> {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }

    #[cfg(not(unix))]
    fn euid(&self) -> Option<u32> {
        None
    }

    #[cfg(unix)]
    fn statvfs(&self, mount_point: &str) -> Option<FsSpace> {
        let path = CString::new(mount_point).ok()?;
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        // SAFETY: `path` is a valid C string and `st` a valid out-pointer.
        if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
            return None;
        }
        let frsize = st.f_frsize as u64;
        Some(FsSpace {
            size_bytes: st.f_blocks as u64 * frsize,
            free_bytes: st.f_bavail as u64 * frsize,
        })
    }

    #[cfg(unix)]
    fn if_addresses(&self) -> io::Result<Vec<(String, IpNet)>> {
        let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
        // SAFETY: getifaddrs fills `head` with a list we free below.
        if unsafe { libc::getifaddrs(&mut head) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut out = Vec::new();
        let mut cur = head;
        while !cur.is_null() {
            // SAFETY: `cur` walks the list returned by getifaddrs.
            let ifa = unsafe { &*cur };
            cur = ifa.ifa_next;
            if ifa.ifa_addr.is_null() || ifa.ifa_name.is_null() {
                continue;
            }
            // SAFETY: ifa_name is a NUL-terminated string owned by the list.
            let name = unsafe { CStr::from_ptr(ifa.ifa_name) }
                .to_string_lossy()
                .into_owned();
            // SAFETY: the address family tells which sockaddr type it is.
            let (addr, mask) = unsafe { (sockaddr_ip(ifa.ifa_addr), sockaddr_ip(ifa.ifa_netmask)) };
            if let Some(address) = addr {
                let prefix_len = mask.map(prefix_of).unwrap_or(match address {
                    IpAddr::V4(_) => 32,
                    IpAddr::V6(_) => 128,
                });
                out.push((
                    name,
                    IpNet {
                        address,
                        prefix_len,
                    },
                ));
            }
        }
        // SAFETY: `head` came from getifaddrs.
        unsafe { libc::freeifaddrs(head) };
        Ok(out)
    }

    #[cfg(unix)]
    fn euid(&self) -> Option<u32> {
        // SAFETY: geteuid has no preconditions.
        Some(unsafe { libc::geteuid() })
    }
}

/// # Safety
/// `sa` must be null or point to a sockaddr of the size its family implies.
#[cfg(unix)]
unsafe fn sockaddr_ip(sa: *const libc::sockaddr) -> Option<IpAddr> {
    if sa.is_null() {
        return None;
    }
    match unsafe { (*sa).sa_family } as i32 {
        libc::AF_INET => {
            let sin = unsafe { &*(sa as *const libc::sockaddr_in) };
            Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                sin.sin_addr.s_addr,
            ))))
        }
        libc::AF_INET6 => {
            let sin6 = unsafe { &*(sa as *const libc::sockaddr_in6) };
            Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)))
        }
        _ => None,
    }
}

#[cfg(unix)]
fn prefix_of(mask: IpAddr) -> u8 {
    match mask {
        IpAddr::V4(m) => u32::from(m).count_ones() as u8,
        IpAddr::V6(m) => u128::from(m).count_ones() as u8,
    }
}
