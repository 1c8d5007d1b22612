//! The tests of the developers' tools: the generator, the scorer and their command.

mod cli;
mod generate;
mod scoring;
