//! Transports: how bytes reach the router and replies reach the client.

pub mod http;
pub mod stdio;
