//! Output for people and programs, in the library so every front end prints the same
//! way (ripgrep keeps its printers in a library crate too): the terminal result page
//! ([`page`]). A response's JSON is its serde form ([`crate::search::SearchResponse`]);
//! TREC runs and the latency summary of a batch run are `search::batch`'s.

pub mod page;

pub use page::render;
