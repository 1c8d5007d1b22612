//! SPARQL queries evaluated in worker processes (`policykg serve --isolate-queries`), so
//! that the time limit really stops them: a worker past the limit is killed, whatever it
//! is computing. In the server's own threads a query is stopped only when Oxigraph next
//! reads the store, which a join computed in memory may not do for minutes. This module
//! holds both ends: the worker's loop ([`run_worker`]) and the pool of worker processes
//! that hands them queries under a [`QueryRunner`] ticket.
//!
//! Workers open the store read-only, which is safe only while nobody writes it: in this
//! mode the server opens it read-only too and takes no updates.
//!
//! The protocol on a worker's stdin and stdout: the server writes a [`Request`] as a JSON
//! line; the worker evaluates it as far as the first result and answers with a [`Head`]
//! line; the server answers with a [`Go`] line naming the output format (or skipping);
//! the worker then writes frames, each a kind byte, a big-endian u32 length and that many
//! bytes: `D` output, `E` an error message, `Z` (empty) the end.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use oxigraph::sparql::{CancellationToken, QueryResults};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::time::{Instant, timeout_at};

use super::{
    ChunkWriter, Dataset, QueryRunner, ResultFormat, RunError, Ticket, evaluate_with_dataset,
    with_first_result, write_results,
};
use crate::store::PolicyStore;
use policykg_extract::{Classified, ErrorKind};

/// A query for a worker.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub query: String,
    pub dataset: Dataset,
}

/// What a worker found after evaluating as far as the first result.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Head {
    Solutions,
    Graph,
    Boolean,
    /// The query cannot be answered: a bad query or a failure.
    Error {
        kind: ErrorKind,
        message: String,
    },
}

/// The server's answer to a [`Head`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Go {
    /// Write the results in this format (a [`ResultFormat`] name).
    Format(String),
    /// Write nothing: the client cannot take the results.
    Skip,
}

/// How long a new worker may take to start and open the store; the query's time limit
/// starts once it is ready.
const START_LIMIT: Duration = Duration::from_secs(10);

/// The line a worker writes once it has opened the store.
const READY: &str = "ready";

const DATA: u8 = b'D';
const ERROR: u8 = b'E';
const END: u8 = b'Z';

fn write_frame(out: &mut impl Write, kind: u8, bytes: &[u8]) -> std::io::Result<()> {
    let length = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
    out.write_all(&[kind])?;
    out.write_all(&length.to_be_bytes())?;
    out.write_all(bytes)
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The worker: answers requests from `input` on `output` until `input` ends.
pub fn run_worker(
    store: &PolicyStore,
    mut input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    output.write_all(READY.as_bytes())?;
    output.write_all(b"\n")?;
    output.flush()?;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request: Request = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                let message = format!("malformed request: {e}");
                let kind = ErrorKind::Internal;
                write_line(&mut output, &Head::Error { kind, message })?;
                continue;
            }
        };
        let evaluated = evaluate_with_dataset(
            store,
            &request.query,
            CancellationToken::new(),
            &request.dataset,
        )
        .and_then(with_first_result);
        let results = match evaluated {
            Ok(results) => results,
            Err(e) => {
                let (kind, message) = (e.kind(), e.to_string());
                write_line(&mut output, &Head::Error { kind, message })?;
                continue;
            }
        };
        let head = match &results {
            QueryResults::Solutions(_) => Head::Solutions,
            QueryResults::Graph(_) => Head::Graph,
            QueryResults::Boolean(_) => Head::Boolean,
        };
        write_line(&mut output, &head)?;
        line.clear();
        input.read_line(&mut line)?;
        let format = match serde_json::from_str::<Go>(&line) {
            Ok(Go::Format(name)) => ResultFormat::from_name(&name),
            _ => None,
        };
        let Some(format) = format else {
            continue;
        };
        let mut frames = ChunkWriter::new(|chunk: Vec<u8>| {
            write_frame(&mut output, DATA, &chunk)?;
            output.flush()
        });
        let written = write_results(results, format, &mut frames)
            .map_err(|e| e.to_string())
            .and_then(|()| frames.flush().map_err(|e| e.to_string()));
        match written {
            Ok(()) => write_frame(&mut output, END, &[])?,
            Err(message) => write_frame(&mut output, ERROR, message.as_bytes())?,
        }
        output.flush()?;
    }
}

/// A running worker process.
struct Worker {
    // Dropping the child kills it (`kill_on_drop`).
    _child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// The worker processes of a server: idle ones are kept for the next query.
pub struct Workers {
    program: PathBuf,
    store: PathBuf,
    idle: Mutex<Vec<Worker>>,
}

impl Workers {
    /// Workers that run `program --store STORE query-worker`.
    pub fn new(program: PathBuf, store: PathBuf) -> Self {
        Workers {
            program,
            store,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// An idle worker, if there is one.
    fn idle_worker(&self) -> Option<Worker> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop()
    }

    /// A new worker, once it has opened the store.
    async fn spawn(&self) -> std::io::Result<Worker> {
        let mut child = Command::new(&self.program)
            .arg("--store")
            .arg(&self.store)
            .arg("query-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(std::io::Error::other("the worker has no pipes"));
        };
        let mut worker = Worker {
            _child: child,
            stdin,
            stdout: BufReader::new(stdout),
        };
        let mut line = String::new();
        let started = tokio::time::timeout(START_LIMIT, worker.stdout.read_line(&mut line)).await;
        match started {
            Ok(Ok(_)) if line.trim_end() == READY => Ok(worker),
            Ok(Err(e)) => Err(e),
            _ => Err(std::io::Error::other(format!(
                "the worker did not start: {}",
                line.trim_end()
            ))),
        }
    }

    fn give_back(&self, worker: Worker) {
        self.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(worker);
    }

    /// How many workers wait for a query.
    pub fn idle(&self) -> usize {
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

async fn send_line(worker: &mut Worker, value: &impl Serialize) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    line.push(b'\n');
    worker.stdin.write_all(&line).await?;
    worker.stdin.flush().await
}

/// Sends a request and reads the head of its answer.
async fn ask(worker: &mut Worker, request: &Request) -> std::io::Result<Head> {
    send_line(worker, request).await?;
    read_head(worker).await
}

async fn read_head(worker: &mut Worker) -> std::io::Result<Head> {
    let mut line = String::new();
    if worker.stdout.read_line(&mut line).await? == 0 {
        return Err(std::io::Error::other("the worker ended"));
    }
    serde_json::from_str(&line).map_err(std::io::Error::other)
}

/// One frame: its kind and bytes.
async fn read_frame(worker: &mut Worker) -> std::io::Result<(u8, Vec<u8>)> {
    let kind = worker.stdout.read_u8().await?;
    let length = worker.stdout.read_u32().await? as usize;
    let mut bytes = vec![0; length];
    worker.stdout.read_exact(&mut bytes).await?;
    Ok((kind, bytes))
}

/// Why a query in a worker failed.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("cannot start a query worker: {0}")]
    Start(#[source] std::io::Error),
    #[error("query worker: {0}")]
    Broken(#[source] std::io::Error),
    /// What the worker said of the query.
    #[error("{message}")]
    Query { kind: ErrorKind, message: String },
    /// The caller refused the kind of results (see `choose`).
    #[error("{0}")]
    Refused(String),
}

impl Classified for WorkerError {
    fn kind(&self) -> ErrorKind {
        match self {
            WorkerError::Run(e) => e.kind(),
            WorkerError::Start(_) | WorkerError::Broken(_) => ErrorKind::Internal,
            WorkerError::Query { kind, .. } => *kind,
            WorkerError::Refused(_) => ErrorKind::NotAcceptable,
        }
    }
}

/// A query that a worker has evaluated as far as its first result, its output chosen.
pub struct Started {
    _ticket: Ticket,
    worker: Worker,
    deadline: Instant,
    limit: Duration,
    /// Whether the results are a graph.
    pub graph: bool,
    /// The media type `choose` picked.
    pub media: String,
}

impl Workers {
    /// Sends `request` to a worker and reads how far it got. `choose` picks the output
    /// format and media type for the kind of results (true for a graph), or refuses them.
    pub async fn start(
        &self,
        runner: &QueryRunner,
        request: &Request,
        choose: impl FnOnce(bool) -> Result<(ResultFormat, String), String>,
    ) -> Result<Started, WorkerError> {
        let ticket = runner.ticket().await?;
        let limit = ticket.limit;
        let idle = self.idle_worker();
        let reused = idle.is_some();
        let mut worker = match idle {
            Some(worker) => worker,
            None => self.spawn().await.map_err(WorkerError::Start)?,
        };
        let mut deadline = Instant::now() + limit;
        // Past the deadline the worker is dropped, which kills it.
        let mut head = timeout_at(deadline, ask(&mut worker, request))
            .await
            .map_err(|_| RunError::TimeLimit(limit))?;
        if head.is_err() && reused {
            // An idle worker may have died meanwhile: one more try with a new one.
            worker = self.spawn().await.map_err(WorkerError::Start)?;
            deadline = Instant::now() + limit;
            head = timeout_at(deadline, ask(&mut worker, request))
                .await
                .map_err(|_| RunError::TimeLimit(limit))?;
        }
        let graph = match head.map_err(WorkerError::Broken)? {
            Head::Error { kind, message } => {
                self.give_back(worker);
                return Err(WorkerError::Query { kind, message });
            }
            Head::Graph => true,
            Head::Solutions | Head::Boolean => false,
        };
        let (format, media) = match choose(graph) {
            Ok(chosen) => chosen,
            Err(refusal) => {
                send_line(&mut worker, &Go::Skip)
                    .await
                    .map_err(WorkerError::Broken)?;
                self.give_back(worker);
                return Err(WorkerError::Refused(refusal));
            }
        };
        send_line(&mut worker, &Go::Format(format.name().to_string()))
            .await
            .map_err(WorkerError::Broken)?;
        Ok(Started {
            _ticket: ticket,
            worker,
            deadline,
            limit,
            graph,
            media,
        })
    }

    /// Takes back the worker of a query whose output was read to its end.
    pub fn finished(&self, started: Started) {
        self.give_back(started.worker);
    }

    /// Evaluates a query through a worker and returns its whole output: whether it is a
    /// graph, and the bytes in the format `choose` picked.
    pub async fn collect(
        &self,
        runner: &QueryRunner,
        request: Request,
        choose: impl FnOnce(bool) -> Result<(ResultFormat, String), String>,
    ) -> Result<(bool, Vec<u8>), WorkerError> {
        let mut started = self.start(runner, &request, choose).await?;
        let mut out = Vec::new();
        while let Some(bytes) = started.next_chunk().await? {
            out.extend_from_slice(&bytes);
        }
        let graph = started.graph;
        self.finished(started);
        Ok((graph, out))
    }
}

impl Started {
    /// The next piece of output, or `None` at its end. On an error the worker is in an
    /// unknown state: drop it (which kills it).
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, WorkerError> {
        match timeout_at(self.deadline, read_frame(&mut self.worker)).await {
            Err(_) => Err(RunError::TimeLimit(self.limit).into()),
            Ok(Err(e)) => Err(WorkerError::Broken(e)),
            Ok(Ok((DATA, bytes))) => Ok(Some(bytes)),
            Ok(Ok((END, _))) => Ok(None),
            Ok(Ok((_, message))) => Err(WorkerError::Query {
                kind: ErrorKind::Internal,
                message: String::from_utf8_lossy(&message).into_owned(),
            }),
        }
    }
}
