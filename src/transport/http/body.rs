//! Response bodies: fixed ones (whole or in pieces), and SSE bodies fed by a channel with
//! keep-alive comments.

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

pub type ResponseBody = UnsyncBoxBody<Bytes, Infallible>;

pub fn full(data: impl Into<Bytes>) -> ResponseBody {
    Full::new(data.into()).boxed_unsync()
}

/// A fixed body sent as the given pieces, in order, with its length known up front.
pub fn pieces(mut frames: Vec<Bytes>) -> ResponseBody {
    if frames.len() == 1 {
        return full(frames.pop().expect("one frame"));
    }
    let remaining = frames.iter().map(|f| f.len() as u64).sum();
    Pieces {
        frames: frames.into(),
        remaining,
    }
    .boxed_unsync()
}

struct Pieces {
    frames: VecDeque<Bytes>,
    remaining: u64,
}

impl Body for Pieces {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let next = self.frames.pop_front();
        if let Some(f) = &next {
            self.remaining -= f.len() as u64;
        }
        Poll::Ready(next.map(|f| Ok(Frame::data(f))))
    }

    fn is_end_stream(&self) -> bool {
        self.frames.is_empty()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.remaining)
    }
}

/// An SSE body: frames from `rx` until every sender is gone, with a comment line
/// every `keepalive` so proxies keep idle streams open. `on_close` runs when the
/// client disconnects or the stream ends.
pub struct SseBody {
    rx: UnboundedReceiver<Bytes>,
    keepalive: Option<tokio::time::Interval>,
    on_close: Option<Box<dyn FnOnce() + Send>>,
}

impl SseBody {
    pub fn new(
        rx: UnboundedReceiver<Bytes>,
        keepalive: Option<Duration>,
        on_close: Option<Box<dyn FnOnce() + Send>>,
    ) -> Self {
        let keepalive = keepalive.map(|d| {
            let mut i = tokio::time::interval_at(tokio::time::Instant::now() + d, d);
            i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            i
        });
        SseBody {
            rx,
            keepalive,
            on_close,
        }
    }

    pub fn boxed(self) -> ResponseBody {
        BodyExt::boxed_unsync(self)
    }
}

impl Drop for SseBody {
    fn drop(&mut self) {
        if let Some(f) = self.on_close.take() {
            f();
        }
    }
}

impl Body for SseBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(b)) => Poll::Ready(Some(Ok(Frame::data(b)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                if let Some(k) = self.keepalive.as_mut() {
                    if k.poll_tick(cx).is_ready() {
                        return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b": keep-alive\n\n")))));
                    }
                }
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    async fn next_data(body: &mut SseBody) -> Option<Bytes> {
        body.frame().await.map(|f| f.unwrap().into_data().expect("data frame"))
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_stream_gets_keep_alive_comments_and_ends_with_its_senders() {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let closed = Arc::new(AtomicBool::new(false));
        let flag = closed.clone();
        let on_close: Box<dyn FnOnce() + Send> = Box::new(move || flag.store(true, Ordering::SeqCst));
        let mut body = SseBody::new(rx, Some(Duration::from_secs(15)), Some(on_close));
        tx.send(Bytes::from_static(b"data: 1\n\n")).unwrap();
        assert_eq!(next_data(&mut body).await.unwrap(), "data: 1\n\n");
        let idle_from = tokio::time::Instant::now();
        let kept_alive = tokio::time::timeout(Duration::from_secs(60), next_data(&mut body)).await;
        assert_eq!(
            kept_alive.expect("a comment within the minute").unwrap(),
            ": keep-alive\n\n"
        );
        assert_eq!(idle_from.elapsed(), Duration::from_secs(15));
        drop(tx);
        assert!(next_data(&mut body).await.is_none());
        assert!(!closed.load(Ordering::SeqCst));
        drop(body);
        assert!(closed.load(Ordering::SeqCst), "on_close runs when the body goes away");
    }

    #[tokio::test]
    async fn pieces_make_one_body_of_known_length() {
        let body = pieces(vec![
            Bytes::from_static(b"{\"a\":"),
            Bytes::from_static(b"\"long\""),
            Bytes::from_static(b"}"),
        ]);
        assert_eq!(body.size_hint().exact(), Some(12));
        assert_eq!(body.collect().await.unwrap().to_bytes(), "{\"a\":\"long\"}");
    }
}
