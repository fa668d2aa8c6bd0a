//! Lists the domains of a connection with the blocking interface:
//!
//! ```text
//! cargo run -p oxvirt-client --example list -- 'test+unix:///default?socket=/tmp/ox/run/libvirt/libvirt-sock'
//! ```

use oxvirt_client::{Connect, Wait};

fn main() -> Result<(), oxvirt_client::Error> {
    let uri = std::env::args().nth(1);
    let conn = Connect::open(uri.as_deref()).wait()?;
    println!("connected to {} ({})", conn.uri(), conn.get_type().wait()?);
    for dom in conn.list_all_domains(0).wait()? {
        let info = dom.get_info().wait()?;
        println!(
            "{:>4} {:<20} state {} memory {} KiB, {} vCPUs",
            dom.id().map_or("-".to_owned(), |i| i.to_string()),
            dom.name(),
            info.state,
            info.memory,
            info.nr_virt_cpu
        );
    }
    conn.close().wait()
}
