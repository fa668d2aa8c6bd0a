//! Starts oxvirt's `libvirtd` under a private root, talks libvirt's wire
//! protocol to it as virsh would, and prints what it sees:
//!
//! ```text
//! cargo build --release --workspace && cargo run --release -p oxvirt-tests --example demo
//! ```

use oxvirt_protocol::remote::{self, procs};
use oxvirt_rpc::client::RpcClient;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NEW_DOMAIN: &str =
    "<domain type='test'><name>demo</name><memory unit='MiB'>256</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>";

fn state_name(s: i32) -> &'static str {
    match s {
        1 => "running",
        3 => "paused",
        5 => "shut off",
        _ => "other",
    }
}

async fn list(c: &RpcClient) -> Result<(), Box<dyn std::error::Error>> {
    let all: remote::ConnectListAllDomainsRet = c
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
    println!(" {:<4} {:<8} State", "Id", "Name");
    println!("{}", "-".repeat(26));
    for d in all.domains {
        let st: remote::DomainGetStateRet = c
            .call(
                remote::PROGRAM,
                1,
                procs::DOMAIN_GET_STATE,
                &remote::DomainGetStateArgs {
                    dom: d.clone(),
                    flags: 0,
                },
            )
            .await?;
        let id = if d.id < 0 {
            "-".to_owned()
        } else {
            d.id.to_string()
        };
        println!(" {:<4} {:<8} {}", id, d.name, state_name(st.state));
    }
    println!();
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bin_dir = std::env::current_exe()?
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.to_path_buf())
        .ok_or("cannot locate the build directory")?;
    let libvirtd = bin_dir.join("libvirtd");
    if !libvirtd.exists() {
        return Err(format!(
            "{} is missing: run `cargo build --release --workspace` first",
            libvirtd.display()
        )
        .into());
    }
    let root = std::env::temp_dir().join(format!("oxvirt-demo-{}", std::process::id()));
    std::fs::create_dir_all(&root)?;
    let started = Instant::now();
    let mut daemon = Command::new(&libvirtd)
        .arg("--root")
        .arg(&root)
        .stdin(Stdio::null())
        .spawn()?;
    let sock = root.join("run/libvirt/libvirt-sock");
    let client = loop {
        if let Ok(c) = RpcClient::connect_unix(&sock).await {
            break c;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = daemon.kill();
            return Err("libvirtd did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let result = async {
        client
            .call::<_, ()>(
                remote::PROGRAM,
                1,
                procs::CONNECT_OPEN,
                &remote::ConnectOpenArgs {
                    name: Some("test:///default".into()),
                    flags: 0,
                },
            )
            .await?;
        println!(
            "oxvirt libvirtd (pid {}) answering on {} after {:?}\n",
            daemon.id(),
            sock.display(),
            started.elapsed()
        );
        let host: remote::ConnectGetHostnameRet =
            client.call(remote::PROGRAM, 1, procs::CONNECT_GET_HOSTNAME, &()).await?;
        let ty: remote::ConnectGetTypeRet = client.call(remote::PROGRAM, 1, procs::CONNECT_GET_TYPE, &()).await?;
        println!("hostname: {}   driver: {}\n", host.hostname, ty.type_);
        list(&client).await?;
        println!("define + start 'demo':\n");
        let def: remote::DomainDefineXmlRet = client
            .call(
                remote::PROGRAM,
                1,
                procs::DOMAIN_DEFINE_XML,
                &remote::DomainDefineXmlArgs { xml: NEW_DOMAIN.into() },
            )
            .await?;
        client
            .call::<_, ()>(
                remote::PROGRAM,
                1,
                procs::DOMAIN_CREATE,
                &remote::DomainCreateArgs { dom: def.dom },
            )
            .await?;
        list(&client).await?;
        println!(
            "Real libvirt clients work too, e.g.:\n  virsh -c 'test+unix:///default?socket=<root>/run/libvirt/libvirt-sock' list --all"
        );
        client.call::<_, ()>(remote::PROGRAM, 1, procs::CONNECT_CLOSE, &()).await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    }
    .await;
    // SAFETY: stopping the daemon we started.
    unsafe { libc::kill(daemon.id() as i32, libc::SIGTERM) };
    let _ = daemon.wait();
    let _ = std::fs::remove_dir_all(&root);
    result
}
