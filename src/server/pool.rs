//! The search pool: searches run on one thread per core, in arrival order.
//!
//! `tokio::task::spawn_blocking` starts a thread per concurrent request: with 16
//! searches in flight on 2 cores, 16 threads compete and the kernel, not the server,
//! decides who runs. Under time slicing a search that takes 10 ms alone takes 80 ms; at
//! real-time priority (`chrt -f`, as `scripts/bench-server.sh` runs it) there is no time
//! slicing among equals, and the runnable threads sit in one queue per core, so a request
//! behind a long one on a busy core waits while the other core empties its queue. The
//! pool keeps one queue for the whole server (first come, first served) and as many
//! workers as cores; after each search a worker yields, so the async threads that read
//! requests and write answers are not starved by a queue of searches (under `chrt -f` a
//! thread that never blocks is never preempted by an equal).
//!
//! Only searches (and article pages, which are searches of one article) use the pool;
//! the write API and the groups report keep `spawn_blocking`: a long batch must not hold
//! a search worker.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};

use super::ApiError;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    closed: bool,
}

#[derive(Default)]
struct Inner {
    queue: Mutex<Queue>,
    ready: Condvar,
}

/// A fixed set of search workers with one FIFO queue. Dropping it stops the workers
/// once the queue is empty.
pub struct SearchPool {
    inner: Arc<Inner>,
    workers: usize,
}

impl SearchPool {
    /// A pool of `workers` threads (at least one).
    pub fn new(workers: usize) -> std::io::Result<SearchPool> {
        let workers = workers.max(1);
        let inner = Arc::new(Inner::default());
        for i in 0..workers {
            let inner = inner.clone();
            std::thread::Builder::new()
                .name(format!("akhbar-search-{i}"))
                .spawn(move || work(&inner))?;
        }
        Ok(SearchPool { inner, workers })
    }

    /// One worker per core the process may use.
    pub fn per_core() -> std::io::Result<SearchPool> {
        SearchPool::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Runs `work` on a worker when its turn comes; a panic in it is a 500.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(work());
        });
        {
            let mut queue = self.inner.queue.lock().unwrap_or_else(|e| e.into_inner());
            queue.jobs.push_back(job);
        }
        self.inner.ready.notify_one();
        rx.await
            .map_err(|_| ApiError::internal("the search stopped before answering (a panic)"))?
    }
}

impl Drop for SearchPool {
    fn drop(&mut self) {
        self.inner
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .closed = true;
        self.inner.ready.notify_all();
    }
}

/// A worker: the oldest job, run, then a yield; until the pool is closed and empty.
fn work(inner: &Inner) {
    loop {
        let job = {
            let mut queue = inner.queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(job) = queue.jobs.pop_front() {
                    break job;
                }
                if queue.closed {
                    return;
                }
                queue = inner.ready.wait(queue).unwrap_or_else(|e| e.into_inner());
            }
        };
        // A panicking search drops its answer channel (the request gets a 500); the
        // worker goes on with the next one.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_in_arrival_order_and_survives_a_panic() {
        let pool = Arc::new(SearchPool::new(1).unwrap());
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waits = Vec::new();
        for i in 0..5 {
            let (pool, order) = (pool.clone(), order.clone());
            waits.push(tokio::spawn(async move {
                pool.run(move || {
                    order.lock().unwrap().push(i);
                    Ok(i)
                })
                .await
            }));
            // Queued one after the other.
            tokio::task::yield_now().await;
        }
        let mut answers = Vec::new();
        for w in waits {
            answers.push(w.await.unwrap().unwrap());
        }
        assert_eq!(answers, [0, 1, 2, 3, 4]);
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3, 4]);
        let panicked = pool
            .run(|| -> Result<(), ApiError> { panic!("boom") })
            .await;
        let err = panicked.unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        assert!(err.message.contains("panic"), "{}", err.message);
        // The worker is still there.
        assert_eq!(pool.run(|| Ok(7)).await.unwrap(), 7);
        assert_eq!(pool.workers(), 1);
    }
}
