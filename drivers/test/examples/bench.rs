//! Rough timings of the operations the daemon benchmark exercises:
//! `cargo run --release -p oxvirt-driver-test --example bench`.

use oxvirt_driver::HypervisorConnection;
use oxvirt_driver_test::TestDriver;
use std::time::Instant;

const XML: &str = include_str!("../tests/data/xml/virt-install-q35.xml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let drv = TestDriver::new();
    let c = drv.open_default()?;
    let rt = tokio::runtime::Builder::new_current_thread().build()?;
    let n = 500;
    let xmls: Vec<String> = (0..n)
        .map(|i| {
            XML.replace("<name>fedora38</name>", &format!("<name>vm{i}</name>"))
                .replace(
                    "5f0e6b2a-8c1d-4a7e-9b3f-2d4c6e8a0b1c",
                    &format!("5f0e6b2a-8c1d-4a7e-9b3f-{i:012}"),
                )
        })
        .collect();
    let t = Instant::now();
    for _ in 0..2000 {
        let mut r = || [9u8; 16];
        std::hint::black_box(oxvirt_conf::domain::DomainDef::parse(
            XML,
            oxvirt_conf::domain::parse_flags::INACTIVE,
            &mut r,
        )?);
    }
    println!(
        "parse only: {:.1} us each",
        t.elapsed().as_secs_f64() * 1e6 / 2000.0
    );
    let t = Instant::now();
    for _ in 0..2000 {
        std::hint::black_box(oxvirt_conf::xml::parse_document(XML).map_err(|e| e.message)?);
    }
    println!(
        "xml tree only: {:.1} us each",
        t.elapsed().as_secs_f64() * 1e6 / 2000.0
    );

    let t = Instant::now();
    let mut doms = Vec::new();
    for x in &xmls {
        doms.push(rt.block_on(c.domain_define_xml(x, 0))?);
    }
    let dt = t.elapsed();
    println!("define: {:.1} us each", dt.as_secs_f64() * 1e6 / n as f64);

    let t = Instant::now();
    let iters = 1000;
    let mut total = 0;
    for _ in 0..iters {
        total += c.list_all_domains(0)?.len();
    }
    println!(
        "listAllDomains({}): {:.1} us",
        total / iters,
        t.elapsed().as_secs_f64() * 1e6 / iters as f64
    );

    let t = Instant::now();
    for d in &doms {
        std::hint::black_box(c.domain_get_xml_desc(d, 0)?);
    }
    println!(
        "dumpxml: {:.1} us each",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );

    let t = Instant::now();
    for d in &doms {
        rt.block_on(c.domain_undefine(d, 0))?;
    }
    println!(
        "undefine: {:.1} us each",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    Ok(())
}
