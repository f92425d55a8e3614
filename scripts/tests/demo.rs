//! The README's main job: the demo binary runs the whole lifecycle on the embedded devnode and
//! prints its report (every step went through, or the binary fails). A change of any contract
//! rule the demo walks through (a delay, a policy start) shows here, not first in a user's
//! terminal.

use std::process::Command;

#[test]
fn the_demo_runs_the_lifecycle_to_the_end() {
    let out = Command::new(env!("CARGO_BIN_EXE_demo"))
        .output()
        .expect("the demo binary starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "AVS puts set 2 under veto slashing",
        "anyone restakes the vault's rewards (10% fee)",
        "gina claims her redemption",
        "Slashed and burned:",
    ] {
        assert!(
            stdout.contains(line),
            "no `{line}` in the report:\n{stdout}"
        );
    }
}
