//! Transports: how bytes reach the router and replies reach the client.

pub mod stdio;
