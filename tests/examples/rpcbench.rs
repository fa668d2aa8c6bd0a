//! Server-side cost of a few calls, measured with a Rust client so that the
//! Python client's own cost (which dominates listAllDomains with 500 domains)
//! does not hide the daemon's. Works against any libvirt-protocol daemon:
//!
//! ```text
//! cargo run --release -p oxvirt-tests --example rpcbench -- SOCKET [DOMAINS] [CALLS]
//! ```
//! Prints one JSON object: median and p90 microseconds of listAllDomains (with
//! DOMAINS test domains defined) and of getHostname.

use oxvirt_protocol::remote::{self, procs};
use oxvirt_rpc::client::RpcClient;
use std::time::Instant;

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or(0.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sock = args
        .first()
        .ok_or("usage: rpcbench SOCKET [DOMAINS] [CALLS]")?;
    let domains: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(500);
    let calls: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(200);
    let c = RpcClient::connect_unix(std::path::Path::new(sock)).await?;
    let _: Vec<i32> = c.call(remote::PROGRAM, 1, procs::AUTH_LIST, &()).await?;
    c.call::<_, ()>(
        remote::PROGRAM,
        1,
        procs::CONNECT_OPEN,
        &remote::ConnectOpenArgs {
            name: Some("test:///default".into()),
            flags: 0,
        },
    )
    .await?;
    let mut defined = Vec::new();
    for i in 0..domains {
        let xml = format!(
            "<domain type='test'><name>rpcbench-{i}</name><memory>1024</memory><os><type>hvm</type></os></domain>"
        );
        let r: remote::DomainDefineXmlRet = c
            .call(
                remote::PROGRAM,
                1,
                procs::DOMAIN_DEFINE_XML,
                &remote::DomainDefineXmlArgs { xml },
            )
            .await?;
        defined.push(r.dom);
    }
    let mut list = Vec::with_capacity(calls);
    for _ in 0..calls {
        let t = Instant::now();
        let r: remote::ConnectListAllDomainsRet = c
            .call(
                remote::PROGRAM,
                1,
                procs::CONNECT_LIST_ALL_DOMAINS,
                &remote::ConnectListAllDomainsArgs {
                    need_results: 1,
                    flags: 0,
                },
            )
            .await?;
        list.push(t.elapsed().as_secs_f64() * 1e6);
        if r.domains.len() < domains {
            return Err("listAllDomains returned too few domains".into());
        }
    }
    let mut host = Vec::with_capacity(calls);
    for _ in 0..calls {
        let t = Instant::now();
        let _: remote::ConnectGetHostnameRet = c
            .call(remote::PROGRAM, 1, procs::CONNECT_GET_HOSTNAME, &())
            .await?;
        host.push(t.elapsed().as_secs_f64() * 1e6);
    }
    for dom in defined {
        c.call::<_, ()>(
            remote::PROGRAM,
            1,
            procs::DOMAIN_UNDEFINE,
            &remote::DomainUndefineArgs { dom },
        )
        .await?;
    }
    println!(
        "{{\"list_p50_us\": {:.1}, \"list_p90_us\": {:.1}, \"hostname_p50_us\": {:.1}, \"hostname_p90_us\": {:.1}, \"domains\": {domains}}}",
        percentile(&mut list.clone(), 0.5),
        percentile(&mut list, 0.9),
        percentile(&mut host.clone(), 0.5),
        percentile(&mut host, 0.9)
    );
    Ok(())
}
