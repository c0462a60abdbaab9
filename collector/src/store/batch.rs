//! Group commit for SQLite ingests: concurrent reports queue here and a
//! single writer task stores up to [`MAX_BATCH`] of them in one transaction,
//! then answers each caller. One fsync and one lock round-trip are shared by
//! the whole batch, which is what lets one small machine take hundreds of
//! reports a second with `synchronous=FULL`. Nobody is answered before the
//! batch's COMMIT returned; if the batch fails, every caller gets the error.

use super::sqlite::SqliteStore;
use super::{IngestOutcome, IngestReport, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Most reports in one transaction.
pub const MAX_BATCH: usize = 64;

/// One queued ingest.
pub struct Job {
    pub agent_id: String,
    pub report: IngestReport,
    pub reply: oneshot::Sender<Result<IngestOutcome, StoreError>>,
}

/// Start the writer task; it ends when every sender is dropped.
pub fn spawn_writer(store: SqliteStore) -> mpsc::Sender<Job> {
    let (tx, mut rx) = mpsc::channel::<Job>(MAX_BATCH * 4);
    tokio::spawn(async move {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
            let (work, replies): (Vec<_>, Vec<_>) = jobs
                .drain(..)
                .map(|j| ((j.agent_id, j.report), j.reply))
                .unzip();
            let n = work.len();
            let result = store
                .write(move |c| {
                    Box::pin(async move {
                        let mut outcomes = Vec::with_capacity(work.len());
                        for (agent_id, report) in &work {
                            outcomes.push(SqliteStore::ingest_tx(c, agent_id, report).await?);
                        }
                        Ok(outcomes)
                    })
                })
                .await;
            match result {
                Ok(outcomes) => {
                    for (reply, outcome) in replies.into_iter().zip(outcomes) {
                        let _ = reply.send(Ok(outcome));
                    }
                }
                Err(e) => {
                    tracing::error!("storing a batch of {n} reports failed: {e}");
                    let msg = e.to_string();
                    for reply in replies {
                        let _ =
                            reply.send(Err(StoreError::Corrupt(format!("batch failed: {msg}"))));
                    }
                }
            }
        }
    });
    tx
}
