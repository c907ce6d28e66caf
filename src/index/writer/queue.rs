//! The documents on their way to tantivy's indexing threads, counted, so that preparing
//! never runs far ahead of indexing.
//!
//! tantivy's `IndexWriter` queues up to 10,000 operation batches (one per record here)
//! before `run` blocks: with preparing faster than indexing, up to 10,000 prepared
//! records — each passage's text twice (`text`, `text_exact`), its title, ids and tags —
//! could wait in memory (bounding them took about 40 MB off `akhbar index`'s peak
//! resident memory on the corpus: README, Performance). Each document now travels as a
//! [`QueuedDoc`] holding a ticket
//! of the [`Queue`]; the ticket is returned when tantivy drops the document, after
//! indexing it, and [`Queue::admit`] waits while `limit` documents are out.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::indexer::UserOperation;
use tantivy::schema::document::Document;
use tantivy::TantivyDocument;

/// Documents queued at most (a few hundred milliseconds of indexing on two threads):
/// enough to keep the indexing threads busy while the next batch is prepared.
pub const QUEUED_DOCS: usize = 4096;

/// How long [`Queue::admit`] waits for room before it hands the documents on anyway: if
/// the indexing threads stopped (an error), tantivy's own `run` reports it.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// The count of documents handed to tantivy and not yet indexed.
#[derive(Debug)]
pub struct Queue {
    queued: Mutex<usize>,
    room: Condvar,
    limit: usize,
}

impl Queue {
    pub fn new(limit: usize) -> Arc<Queue> {
        Arc::new(Queue {
            queued: Mutex::new(0),
            room: Condvar::new(),
            limit: limit.max(1),
        })
    }

    /// Documents out now.
    #[cfg(test)]
    pub fn queued(&self) -> usize {
        *self.queued.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits while `limit` documents or more are out (at most [`MAX_WAIT`]), then counts
    /// the operations' documents in and wraps them.
    pub fn admit(
        self: &Arc<Self>,
        ops: Vec<UserOperation<TantivyDocument>>,
    ) -> Vec<UserOperation<QueuedDoc>> {
        let adds = ops
            .iter()
            .filter(|op| matches!(op, UserOperation::Add(_)))
            .count();
        {
            let queued = self.queued.lock().unwrap_or_else(|e| e.into_inner());
            let (mut queued, _) = self
                .room
                .wait_timeout_while(queued, MAX_WAIT, |n| *n >= self.limit)
                .unwrap_or_else(|e| e.into_inner());
            *queued += adds;
        }
        ops.into_iter()
            .map(|op| match op {
                UserOperation::Add(doc) => UserOperation::Add(QueuedDoc {
                    doc,
                    _ticket: Ticket(self.clone()),
                }),
                UserOperation::Delete(term) => UserOperation::Delete(term),
            })
            .collect()
    }
}

/// One document's place in the [`Queue`], given back when the document is dropped.
#[derive(Debug)]
struct Ticket(Arc<Queue>);

impl Drop for Ticket {
    fn drop(&mut self) {
        let queue = &self.0;
        let mut queued = queue.queued.lock().unwrap_or_else(|e| e.into_inner());
        *queued = queued.saturating_sub(1);
        if *queued < queue.limit {
            queue.room.notify_all();
        }
    }
}

/// A document with its ticket: indexed as the document it wraps.
#[derive(Debug)]
pub struct QueuedDoc {
    doc: TantivyDocument,
    _ticket: Ticket,
}

impl Document for QueuedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, Term};

    fn doc_of(field: tantivy::schema::Field, text: &str) -> TantivyDocument {
        doc!(field => text)
    }

    /// A schema of one text field, and the field.
    fn one_field() -> (Schema, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let f = builder.add_text_field("t", TEXT);
        (builder.build(), f)
    }

    /// One add operation per word, a document of that word.
    fn adds(f: tantivy::schema::Field, words: &[&str]) -> Vec<UserOperation<TantivyDocument>> {
        words
            .iter()
            .map(|w| UserOperation::Add(doc_of(f, w)))
            .collect()
    }

    #[test]
    fn tickets_count_documents_until_they_are_dropped() {
        let (_, f) = one_field();
        let queue = Queue::new(4);
        let mut ops = vec![UserOperation::Delete(Term::from_field_text(f, "x"))];
        ops.extend(adds(f, &["a", "b"]));
        let admitted = queue.admit(ops);
        // The delete holds no ticket.
        assert_eq!(queue.queued(), 2);
        assert_eq!(admitted.len(), 3);
        assert!(matches!(admitted[0], UserOperation::Delete(_)));
        drop(admitted);
        assert_eq!(queue.queued(), 0);
    }

    #[test]
    fn admit_waits_for_room_and_goes_on_when_it_comes() {
        let (_, f) = one_field();
        let queue = Queue::new(1);
        let first = queue.admit(adds(f, &["a"]));
        let released = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(first);
        });
        let started = Instant::now();
        let second = queue.admit(adds(f, &["b"]));
        // It waited for the first document to be dropped, not for MAX_WAIT.
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert!(started.elapsed() < MAX_WAIT);
        assert_eq!(queue.queued(), 1);
        released.join().unwrap();
        drop(second);
        assert_eq!(queue.queued(), 0);
    }

    #[test]
    fn an_index_writer_takes_queued_documents_and_gives_the_tickets_back() {
        let (schema, f) = one_field();
        let index = Index::create_in_ram(schema);
        let mut writer: tantivy::IndexWriter<QueuedDoc> = index.writer(15_000_000).unwrap();
        let queue = Queue::new(2);
        for word in ["alpha", "beta", "gamma", "delta", "epsilon"] {
            writer.run(queue.admit(adds(f, &[word]))).unwrap();
        }
        writer.commit().unwrap();
        assert_eq!(queue.queued(), 0);
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs(), 5);
        let term = Term::from_field_text(f, "gamma");
        assert_eq!(searcher.doc_freq(&term).unwrap(), 1);
    }
}
