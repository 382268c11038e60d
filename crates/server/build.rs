// Refinery embeds the server's migrations at compile time; without this line
// a new migration file would not trigger a rebuild (refinery#309).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
