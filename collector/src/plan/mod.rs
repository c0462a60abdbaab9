//! The recovery plan's inventory: the site facts people write
//! ([`site`], `site.toml`) joined with the merged assets.

pub mod site;
