//! Shared helpers for the end-to-end tests live here as the labs grow.
