//! The Census collector as a library: storage ([`store`]), ingest
//! ([`ingest`]), TLS identity ([`tls`]), configuration ([`config`]) and the
//! HTTP API shell ([`api`]); [`merge`] builds assets and [`assets`] keeps
//! them current; [`serve`] ties them into the daemon. The CLI in
//! `main.rs` is a thin shell over these.

pub mod admin_cli;
pub mod api;
pub mod assets;
pub mod assets_cli;
pub mod assets_text;
pub mod auth;
pub mod config;
pub mod db_cli;
pub mod export;
pub mod export_cli;
pub mod ingest;
pub mod merge;
pub mod plan;
pub mod plan_cli;
pub mod scan;
pub mod scan_cli;
pub mod secrets;
pub mod serve;
pub mod site_scan;
pub use census_discover::snmp;
pub mod snmp_cli;
pub mod store;
pub mod terminal;
pub mod tls;
pub mod web;
