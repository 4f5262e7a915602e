//! The RFC 8252 loopback redirect (§7.3): when the OS will not register the
//! app's URL scheme, the browser is sent back to a listener on
//! `127.0.0.1:PORT` instead. The listener answers the browser with a short
//! page and hands the callback URL to the app; the state check in
//! [`crate::session::Sessions::finish_login`] decides whether it counts.

use std::net::Ipv4Addr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::oauth::CALLBACK_PATH;
use crate::Error;

/// The longest request head read: a callback's query is well under 4 KiB.
const MAX_HEAD: usize = 8 * 1024;

/// A bound loopback listener, not yet serving.
#[derive(Debug)]
pub struct LoopbackRedirect {
    listener: TcpListener,
    port: u16,
}

impl LoopbackRedirect {
    /// Binds a free port on 127.0.0.1 only: never reachable from the network.
    pub async fn bind() -> Result<Self, Error> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|error| Error::Internal(format!("bind the loopback redirect: {error}")))?;
        let port = listener.local_addr().map_err(|error| Error::Internal(error.to_string()))?.port();
        Ok(Self { listener, port })
    }

    /// The port the redirect URI must name.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the app ends: each `GET /auth/callback?…` is answered
    /// with `page` (HTML) and its full URL is passed to `deliver`; anything
    /// else gets a 404 and is not passed on.
    pub async fn serve(self, page: &'static str, deliver: impl Fn(String) + Send + Sync + 'static) {
        let deliver = std::sync::Arc::new(deliver);
        loop {
            let Ok((mut stream, _)) = self.listener.accept().await else { continue };
            let port = self.port;
            let deliver = deliver.clone();
            tokio::spawn(async move {
                let mut head = Vec::with_capacity(1024);
                let mut buffer = [0_u8; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < MAX_HEAD {
                    match tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buffer)).await {
                        Ok(Ok(read)) if read > 0 => head.extend_from_slice(&buffer[..read]),
                        _ => return,
                    }
                }
                let line = String::from_utf8_lossy(&head);
                let target = line.lines().next().and_then(|first| first.strip_prefix("GET ")).and_then(|rest| rest.split(' ').next());
                let response = match target {
                    Some(target) if target == CALLBACK_PATH || target.starts_with(&format!("{CALLBACK_PATH}?")) => {
                        deliver(format!("http://127.0.0.1:{port}{target}"));
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n\
                             Referrer-Policy: no-referrer\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                            page.len()
                        )
                    }
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
                };
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_callback_is_answered_and_passed_on_and_nothing_else_is() {
        let redirect = LoopbackRedirect::bind().await.expect("bind");
        let port = redirect.port();
        let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(redirect.serve("<p>ok</p>", move |url| {
            let _ = sender.send(url);
        }));
        let http = reqwest::Client::new();
        let page = http
            .get(format!("http://127.0.0.1:{port}/auth/callback?code=c&state=s"))
            .send()
            .await
            .expect("answered");
        assert_eq!(page.status(), 200);
        assert_eq!(page.text().await.expect("body"), "<p>ok</p>");
        assert_eq!(received.recv().await.expect("passed on"), format!("http://127.0.0.1:{port}/auth/callback?code=c&state=s"));

        let other = http.get(format!("http://127.0.0.1:{port}/favicon.ico")).send().await.expect("answered");
        assert_eq!(other.status(), 404);
        assert!(received.try_recv().is_err(), "only callbacks are passed on");
    }
}
