//! The one way store work runs under the query time limit: a slot among a bounded number,
//! waited for at most the limit; a cancellation token that tokio's timer (one timer wheel,
//! not a thread per query) cancels at the limit; and the work on a blocking thread, whose
//! answer is given up at the limit even if the work itself runs on until Oxigraph next
//! looks at the token. The endpoint, the pages, the drawings and the command line all use it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use oxigraph::sparql::CancellationToken;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::store::PolicyStore;
use policykg_extract::{Classified, ErrorKind};

/// How much longer than the limit the answer of stopped work is waited for: Oxigraph notices
/// a cancellation when it next reads the store.
const GRACE: Duration = Duration::from_millis(200);

/// Why work could not run or finish under the limit.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("the server is busy: no query slot came free within {} s", .0.as_secs_f64())]
    Busy(Duration),
    #[error("the query ran past the time limit of {} s and was stopped", .0.as_secs_f64())]
    TimeLimit(Duration),
    #[error("the query's thread failed: {0}")]
    Thread(#[source] tokio::task::JoinError),
}

impl Classified for RunError {
    fn kind(&self) -> ErrorKind {
        match self {
            RunError::Busy(_) => ErrorKind::Busy,
            RunError::TimeLimit(_) => ErrorKind::TimeLimit,
            RunError::Thread(_) => ErrorKind::Internal,
        }
    }
}

/// Runs store work with a time limit and a bounded number of slots.
pub struct QueryRunner {
    store: Arc<PolicyStore>,
    limit: Duration,
    slots: Arc<Semaphore>,
    capacity: usize,
}

/// The right to run one piece of work: a slot, and a token cancelled at the limit. Dropping
/// it gives the slot back and stops the timer.
pub struct Ticket {
    pub token: CancellationToken,
    pub limit: Duration,
    _permit: OwnedSemaphorePermit,
    _timer: Timer,
}

/// Cancels a token when the limit passes, unless dropped first.
struct Timer(tokio::task::JoinHandle<()>);

impl Drop for Timer {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Cancels a token when dropped, unless disarmed first. A request's handler holds one while
/// it waits for its work: when the client goes away, the server drops the handler, and the
/// work stops at Oxigraph's next read instead of running on to the limit.
pub struct CancelOnDrop(Option<CancellationToken>);

impl CancelOnDrop {
    pub fn new(token: CancellationToken) -> Self {
        CancelOnDrop(Some(token))
    }

    /// The work's answer was taken: it is no longer abandoned when this is dropped.
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(token) = self.0.take() {
            if !token.is_cancelled() {
                tracing::debug!("the client went away: its query is stopped");
            }
            token.cancel();
        }
    }
}

impl Ticket {
    /// Whether the time limit has passed.
    pub fn expired(&self) -> bool {
        self.token.is_cancelled()
    }
}

impl QueryRunner {
    /// A runner over `store` allowing `slots` pieces of work at once, each `limit` long.
    pub fn new(store: Arc<PolicyStore>, limit: Duration, slots: usize) -> Self {
        QueryRunner {
            store,
            limit,
            slots: Arc::new(Semaphore::new(slots)),
            capacity: slots,
        }
    }

    pub fn store(&self) -> &Arc<PolicyStore> {
        &self.store
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many slots are taken.
    pub fn running(&self) -> usize {
        self.capacity.saturating_sub(self.slots.available_permits())
    }

    /// A slot, waiting at most the limit for one, with its timer started. Call from within
    /// a tokio runtime.
    pub async fn ticket(&self) -> Result<Ticket, RunError> {
        // The semaphore is never closed; a closed one means no capacity either way.
        let Ok(Ok(permit)) =
            tokio::time::timeout(self.limit, self.slots.clone().acquire_owned()).await
        else {
            return Err(RunError::Busy(self.limit));
        };
        let token = CancellationToken::new();
        let (timer_token, limit) = (token.clone(), self.limit);
        let timer = Timer(tokio::spawn(async move {
            tokio::time::sleep(limit).await;
            timer_token.cancel();
        }));
        Ok(Ticket {
            token,
            limit,
            _permit: permit,
            _timer: timer,
        })
    }

    /// Runs `work` on a blocking thread under a ticket. At the limit the token is cancelled
    /// and the answer is [`RunError::TimeLimit`], even if the work has not returned yet; work
    /// that fails after the limit passed is reported as stopped by it.
    pub async fn run<T, E>(
        &self,
        work: impl FnOnce(&PolicyStore, CancellationToken) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<RunError> + Send + 'static,
    {
        let ticket = self.ticket().await?;
        let store = self.store.clone();
        let token = ticket.token.clone();
        let limit = ticket.limit;
        let abandoned = CancelOnDrop::new(token.clone());
        let handle = tokio::task::spawn_blocking(move || {
            let _ticket = ticket;
            let outcome = work(&store, token.clone());
            (outcome, token.is_cancelled())
        });
        let answer = tokio::time::timeout(limit + GRACE, handle).await;
        abandoned.disarm();
        match answer {
            Ok(Ok((Ok(value), _))) => Ok(value),
            Ok(Ok((Err(_), true))) | Err(_) => Err(RunError::TimeLimit(limit).into()),
            Ok(Ok((Err(e), false))) => Err(e),
            Ok(Err(e)) => Err(RunError::Thread(e).into()),
        }
    }

    /// [`QueryRunner::run`] from synchronous code (the command line): a runtime of its own,
    /// left behind at the end so that work the limit could not stop does not hold up the
    /// process.
    pub fn run_now<T, E>(
        &self,
        work: impl FnOnce(&PolicyStore, CancellationToken) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<RunError> + From<std::io::Error> + Send + 'static,
    {
        block_on(self.run(work))
    }
}

/// Runs a future to its end on a runtime of its own, which is then left behind without
/// waiting for blocking threads.
pub fn block_on<T, E: From<std::io::Error>>(
    future: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let outcome = runtime.block_on(future);
    runtime.shutdown_background();
    outcome
}
