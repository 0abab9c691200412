//! The ceiling of the benchmark: the bench server (`benches/servers/bench_server.py`) written
//! on the official Rust SDK, rmcp, with no Python anywhere.
//!
//!     rmcp_bench_server stdio
//!     rmcp_bench_server http PORT sse|stateless
//!
//! `sse` is rmcp's stateful Streamable HTTP (sessions, SSE responses); `stateless` is its
//! session-less mode with JSON responses. rmcp has no stateful JSON-response mode, so the
//! harness reports that cell as not applicable.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::model::{
    ListResourcesResult, PaginatedRequestParams, PromptMessage, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, Resource, ResourceContents, Role, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{
    prompt, prompt_handler, prompt_router, schemars, tool, tool_handler, tool_router, ErrorData, RoleServer,
    ServerHandler, ServiceExt,
};
use serde::{Deserialize, Serialize};

const STATIC_URI: &str = "bench://static";

#[derive(Deserialize, schemars::JsonSchema)]
struct AddArgs {
    a: i64,
    b: i64,
}

#[derive(Serialize, schemars::JsonSchema)]
struct AddOutput {
    result: i64,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct EchoArgs {
    text: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct GreetArgs {
    name: String,
}

/// The routers are built once and shared by every session (the HTTP transport makes one
/// handler per session, or per request when stateless).
struct Routers {
    tools: ToolRouter<Bench>,
    prompts: PromptRouter<Bench>,
}

#[derive(Clone)]
struct Bench {
    routers: Arc<Routers>,
}

#[tool_router]
impl Bench {
    #[tool(description = "Add two numbers")]
    fn add(&self, Parameters(AddArgs { a, b }): Parameters<AddArgs>) -> Json<AddOutput> {
        Json(AddOutput { result: a + b })
    }

    #[tool(description = "Echo the text back")]
    fn echo(&self, Parameters(EchoArgs { text }): Parameters<EchoArgs>) -> String {
        text
    }

    #[tool(description = "A 10 MB string")]
    fn big(&self) -> String {
        "x".repeat(10 * 1024 * 1024)
    }

    #[tool(description = "Sleep 10 ms, then answer")]
    async fn sleep(&self) -> String {
        tokio::time::sleep(Duration::from_millis(10)).await;
        "slept".to_string()
    }
}

#[prompt_router]
impl Bench {
    #[prompt(description = "Greet someone")]
    async fn greet(&self, Parameters(GreetArgs { name }): Parameters<GreetArgs>) -> Vec<PromptMessage> {
        vec![PromptMessage::new_text(Role::User, format!("Hello, {name}!"))]
    }
}

#[tool_handler(router = self.routers.tools)]
#[prompt_handler(router = self.routers.prompts)]
impl ServerHandler for Bench {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .enable_resources()
                .build(),
        )
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let resource = Resource::new(STATIC_URI, "static").with_description("A static resource");
        Ok(ListResourcesResult::with_all_items(vec![resource]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        if request.uri == STATIC_URI {
            let contents = vec![ResourceContents::text("static", STATIC_URI)];
            Ok(ReadResourceResult::new(contents).into())
        } else {
            Err(ErrorData::resource_not_found(
                format!("Unknown resource: {}", request.uri),
                None,
            ))
        }
    }
}

impl Bench {
    fn new() -> Self {
        Bench {
            routers: Arc::new(Routers {
                tools: Self::tool_router(),
                prompts: Self::prompt_router(),
            }),
        }
    }
}

async fn serve_http(port: u16, mode: &str) -> Result<(), Box<dyn std::error::Error>> {
    let config = match mode {
        "sse" => StreamableHttpServerConfig::default(),
        "stateless" => StreamableHttpServerConfig::default()
            .with_legacy_session_mode(false)
            .with_json_response(true),
        other => return Err(format!("mode {other:?}: rmcp offers sse and stateless").into()),
    };
    let proto = Bench::new();
    let service = StreamableHttpService::new(
        move || Ok(proto.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let svc = TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        None | Some("stdio") => {
            let running = Bench::new().serve(rmcp::transport::stdio_pipes()).await?;
            running.waiting().await?;
            Ok(())
        }
        Some("http") => {
            let port: u16 = args.get(2).ok_or("http PORT MODE")?.parse()?;
            let mode = args.get(3).map(String::as_str).unwrap_or("sse");
            serve_http(port, mode).await
        }
        Some(other) => Err(format!("unknown transport {other:?}").into()),
    }
}
