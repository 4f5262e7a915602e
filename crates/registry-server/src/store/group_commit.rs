//! A queue in front of a database writer that handles whatever has queued,
//! up to a limit, as one group: the bookings of both backends go through it.
//!
//! A database commits a transaction with one flush to disk and keeps its
//! bookkeeping per transaction, so a booking alone in its transaction pays
//! all of that for itself. While a writer is busy with one group, the next
//! one gathers; an idle server hands a lone booking over at once, so nothing
//! waits for a group to fill.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::Error;

/// Jobs waiting beyond those being handled; further senders wait.
const QUEUE_DEPTH: usize = 4096;

/// A job waiting in the queue, and where its answer goes.
struct Queued<Job, Answer> {
    job: Job,
    answer: oneshot::Sender<Answer>,
}

/// The receiving end, shared by the writers: one takes a group at a time.
type Waiting<Job, Answer> = Arc<Mutex<mpsc::Receiver<Queued<Job, Answer>>>>;

/// The sending end: cheap to clone, one per store clone.
pub struct GroupQueue<Job, Answer> {
    queue: mpsc::Sender<Queued<Job, Answer>>,
}

impl<Job, Answer> Clone for GroupQueue<Job, Answer> {
    fn clone(&self) -> Self {
        GroupQueue { queue: self.queue.clone() }
    }
}

impl<Job, Answer> std::fmt::Debug for GroupQueue<Job, Answer> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // What waits in the queue is patients' bookings: never printed.
        formatter.debug_struct("GroupQueue").field("waiting", &(self.queue.max_capacity() - self.queue.capacity())).finish()
    }
}

/// What a group's handler answers: each job's own outcome in order, or an
/// error for the group as a whole.
pub(crate) type GroupOutcome<T> = Result<Vec<Result<T, Error>>, Error>;

impl<Job, T> GroupQueue<Job, Result<T, Error>>
where
    Job: Clone + Send + Sync + 'static,
    T: Send + 'static,
{
    /// Starts `writers` tasks that each take up to `limit` waiting jobs at a
    /// time and hand them to `handle` as one group; the tasks end when the
    /// last clone of the queue is dropped.
    ///
    /// `handle` answers each job in order, or fails the group as a whole:
    /// then it has stored nothing, and each job of the group is handed to it
    /// again alone, so that one job's failure is only its own.
    pub(crate) fn start<Handle, Handled>(writers: usize, limit: usize, handle: Handle) -> Self
    where
        Handle: Fn(Arc<[Job]>) -> Handled + Clone + Send + Sync + 'static,
        Handled: Future<Output = GroupOutcome<T>> + Send + 'static,
    {
        let (queue, waiting) = mpsc::channel(QUEUE_DEPTH);
        let waiting: Waiting<Job, Result<T, Error>> = Arc::new(Mutex::new(waiting));
        for _ in 0..writers.max(1) {
            tokio::spawn(write_groups(waiting.clone(), limit, handle.clone()));
        }
        GroupQueue { queue }
    }

    /// Queues `job` and waits for its answer.
    pub(crate) async fn submit(&self, job: Job) -> Result<T, Error> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send(Queued { job, answer })
            .await
            .map_err(|_| Error::Internal("the group writer has stopped".to_owned()))?;
        answered.await.map_err(|_| Error::Internal("the group writer dropped a job".to_owned()))?
    }
}

async fn write_groups<Job, T, Handle, Handled>(
    waiting: Waiting<Job, Result<T, Error>>,
    limit: usize,
    handle: Handle,
) where
    Job: Clone,
    Handle: Fn(Arc<[Job]>) -> Handled,
    Handled: Future<Output = GroupOutcome<T>>,
{
    let mut group = Vec::with_capacity(limit);
    loop {
        // One writer at a time waits for jobs; the others are busy with
        // their groups or wait for their turn to take one.
        let taken = waiting.lock().await.recv_many(&mut group, limit).await;
        if taken == 0 {
            return;
        }
        let (jobs, answers): (Vec<Job>, Vec<oneshot::Sender<Result<T, Error>>>) =
            group.drain(..).map(|queued| (queued.job, queued.answer)).unzip();
        let jobs: Arc<[Job]> = jobs.into();
        let outcomes = match handle(jobs.clone()).await {
            Ok(outcomes) => outcomes,
            Err(error) => {
                tracing::warn!(%error, jobs = jobs.len(), "a group failed; handling its jobs one by one");
                let mut outcomes = Vec::with_capacity(jobs.len());
                for job in jobs.iter() {
                    outcomes.push(alone(handle(Arc::from([job.clone()])).await));
                }
                outcomes
            }
        };
        for (answer, outcome) in answers.into_iter().zip(outcomes) {
            // A client that hung up no longer waits for its answer; what was
            // done for it stands, and a retry with its key finds it.
            let _ = answer.send(outcome);
        }
    }
}

/// The one answer of a group of one.
fn alone<T>(group: GroupOutcome<T>) -> Result<T, Error> {
    group?.pop().unwrap_or_else(|| Err(Error::Internal("a group of one answered nothing".to_owned())))
}
