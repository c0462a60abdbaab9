//! Scans and SNMP credential memory in PostgreSQL, as `sqlite_scans.rs`
//! does them: a finished scan with one row per observation (the
//! `ScanObservation` as JSON), and which credential each device answered to
//! (by one-way id), replaced in place by `ON CONFLICT` so two processes
//! remembering the same device at once both succeed.

use super::{PgStore, text};
use crate::store::{NewScan, StoreError, ts};
use chrono::Utc;

impl PgStore {
    pub(super) async fn insert_scan(&self, scan: NewScan) -> Result<i64, StoreError> {
        self.tx(move |c| {
            Box::pin(async move {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO scans (started_at, finished_at, targets, hosts_found) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(ts(scan.started_at))
                .bind(ts(scan.finished_at))
                .bind(text(&scan.targets))
                .bind(scan.observations.len() as i64)
                .fetch_one(&mut *c)
                .await?;
                for o in &scan.observations {
                    let json =
                        serde_json::to_string(o).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    sqlx::query(
                        "INSERT INTO scan_observations (scan_id, ip, mac, observation) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(o.ip.to_string())
                    .bind(o.mac.map(|m| m.to_string()))
                    .bind(text(&json))
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
            sqlx::query_scalar("SELECT credential_id FROM snmp_credentials WHERE device = $1")
                .bind(text(&device))
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
        sqlx::query(
            "INSERT INTO snmp_credentials (device, credential_id, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (device) DO UPDATE SET credential_id = excluded.credential_id, \
             updated_at = excluded.updated_at",
        )
        .bind(text(&device))
        .bind(text(&credential_id))
        .bind(ts(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
