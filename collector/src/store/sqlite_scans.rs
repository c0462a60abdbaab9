//! Scans and SNMP credential memory in SQLite: a finished scan with one row
//! per observation (the `ScanObservation` as JSON), and which credential
//! each device answered to (by one-way id). The `Store` trait's methods in
//! `sqlite.rs` delegate here; writes go through the single writer.

use super::{SqliteStore, ts};
use crate::store::{NewScan, StoreError};
use chrono::Utc;

impl SqliteStore {
    pub(super) async fn insert_scan(&self, scan: NewScan) -> Result<i64, StoreError> {
        self.write(move |c| {
            Box::pin(async move {
                let id = sqlx::query(
                    "INSERT INTO scans (started_at, finished_at, targets, hosts_found) VALUES (?, ?, ?, ?)",
                )
                .bind(ts(scan.started_at))
                .bind(ts(scan.finished_at))
                .bind(&scan.targets)
                .bind(scan.observations.len() as i64)
                .execute(&mut *c)
                .await?
                .last_insert_rowid();
                for o in &scan.observations {
                    let json = serde_json::to_string(o).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    sqlx::query("INSERT INTO scan_observations (scan_id, ip, mac, observation) VALUES (?, ?, ?, ?)")
                        .bind(id)
                        .bind(o.ip.to_string())
                        .bind(o.mac.map(|m| m.to_string()))
                        .bind(json)
                        .execute(&mut *c)
                        .await?;
                }
                Ok(id)
            })
        })
        .await
    }

    pub(super) async fn find_snmp_credential(
        &self,
        device: String,
    ) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT credential_id FROM snmp_credentials WHERE device = ?")
                .bind(device)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub(super) async fn list_snmp_credentials(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT device, credential_id FROM snmp_credentials")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub(super) async fn upsert_snmp_credential(
        &self,
        device: String,
        credential_id: String,
    ) -> Result<(), StoreError> {
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO snmp_credentials (device, credential_id, updated_at) VALUES (?, ?, ?) \
                     ON CONFLICT(device) DO UPDATE SET credential_id = excluded.credential_id, updated_at = excluded.updated_at",
                )
                .bind(&device)
                .bind(&credential_id)
                .bind(ts(Utc::now()))
                .execute(&mut *c)
                .await?;
                Ok(())
            })
        })
        .await
    }
}
