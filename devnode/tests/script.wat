;; A test contract that runs its calldata as a list of host-function actions, so each devnode test
;; states its scenario as data. Output (written with write_result) collects what actions return.
;;   1 key[32] value[32]        storage_cache_bytes32
;;   2 clear[1]                 storage_flush_cache
;;   3 key[32]                  storage_load_bytes32            -> 32 bytes
;;   4 addr[20] value[32] len[4] data[len]   call_contract     -> status byte
;;   5 addr[20] len[4] data[len]             static_call       -> status byte
;;   6 offset[4] size[4]        read_return_data               -> count[4] + bytes
;;   7 topics[1] len[4] bytes[len]           emit_log
;;   8                          trap (unreachable)
;;   9                          revert with the output so far
;;  10                          msg_reentrant                  -> byte
;;  11 pages[4]                 memory.grow                    -> old size or -1 [4]
;;  12 status[1]                write the output so far, then exit_early(status)
;;  13 key[32] value[32]        transient_store_bytes32
;;  14 key[32]                  transient_load_bytes32          -> 32 bytes
;;  15 which[1] a[32] b[32] m[32]  math_div/mod/pow/add_mod/mul_mod (0..4) -> 32 bytes
;;  16                          msg_sender, contract_address, tx_origin [20 each], msg_value [32],
;;                              block_timestamp, chainid, block_number [8 each, little-endian]
;;  17 addr[20]                 account_balance [32], account_code_size [4], account_codehash [32]
;;  18 len[4] init[len]         create1 (no endowment)            -> address [20]
;;  19 salt[32] len[4] init[len] create2 (no endowment)           -> address [20]
;; Lengths are little-endian u32.
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "static_call_contract" (func $scall (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
  (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (import "vm_hooks" "exit_early" (func $exit_early (param i32)))
  (import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))
  (import "vm_hooks" "transient_load_bytes32" (func $tload (param i32 i32)))
  (import "vm_hooks" "math_div" (func $math_div (param i32 i32)))
  (import "vm_hooks" "math_mod" (func $math_mod (param i32 i32)))
  (import "vm_hooks" "math_pow" (func $math_pow (param i32 i32)))
  (import "vm_hooks" "math_add_mod" (func $math_add_mod (param i32 i32 i32)))
  (import "vm_hooks" "math_mul_mod" (func $math_mul_mod (param i32 i32 i32)))
  (import "vm_hooks" "msg_sender" (func $msg_sender (param i32)))
  (import "vm_hooks" "contract_address" (func $contract_address (param i32)))
  (import "vm_hooks" "tx_origin" (func $tx_origin (param i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "block_timestamp" (func $block_timestamp (result i64)))
  (import "vm_hooks" "chainid" (func $chainid (result i64)))
  (import "vm_hooks" "block_number" (func $block_number (result i64)))
  (import "vm_hooks" "account_balance" (func $account_balance (param i32 i32)))
  (import "vm_hooks" "account_code_size" (func $account_code_size (param i32) (result i32)))
  (import "vm_hooks" "account_codehash" (func $account_codehash (param i32 i32)))
  (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
  (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $pc i32) (local $out i32) (local $op i32) (local $n i32)
    (call $pay (i32.const 0))
    (call $read_args (i32.const 0))
    (local.set $out (i32.const 16384))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pc) (local.get $len)))
        (local.set $op (i32.load8_u (local.get $pc)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (if (i32.eq (local.get $op) (i32.const 1))
          (then
            (call $cache (local.get $pc) (i32.add (local.get $pc) (i32.const 32)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 64)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 2))
          (then
            (call $flush (i32.load8_u (local.get $pc)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 3))
          (then
            (call $load (local.get $pc) (local.get $out))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 4))
          (then
            (local.set $n (i32.load (i32.add (local.get $pc) (i32.const 52))))
            (i32.store8 (local.get $out)
              (call $call (local.get $pc) (i32.add (local.get $pc) (i32.const 56)) (local.get $n)
                (i32.add (local.get $pc) (i32.const 20)) (i64.const -1) (i32.const 60000)))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))
            (local.set $pc (i32.add (i32.add (local.get $pc) (i32.const 56)) (local.get $n)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 5))
          (then
            (local.set $n (i32.load (i32.add (local.get $pc) (i32.const 20))))
            (i32.store8 (local.get $out)
              (call $scall (local.get $pc) (i32.add (local.get $pc) (i32.const 24)) (local.get $n)
                (i64.const -1) (i32.const 60000)))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))
            (local.set $pc (i32.add (i32.add (local.get $pc) (i32.const 24)) (local.get $n)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 6))
          (then
            (local.set $n (call $rrd (i32.add (local.get $out) (i32.const 4))
              (i32.load (local.get $pc)) (i32.load (i32.add (local.get $pc) (i32.const 4)))))
            (i32.store (local.get $out) (local.get $n))
            (local.set $out (i32.add (i32.add (local.get $out) (i32.const 4)) (local.get $n)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 7))
          (then
            (local.set $n (i32.load (i32.add (local.get $pc) (i32.const 1))))
            (call $log (i32.add (local.get $pc) (i32.const 5)) (local.get $n) (i32.load8_u (local.get $pc)))
            (local.set $pc (i32.add (i32.add (local.get $pc) (i32.const 5)) (local.get $n)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 8)) (then unreachable))
        (if (i32.eq (local.get $op) (i32.const 9))
          (then
            (call $write_result (i32.const 16384) (i32.sub (local.get $out) (i32.const 16384)))
            (return (i32.const 1))))
        (if (i32.eq (local.get $op) (i32.const 10))
          (then
            (i32.store8 (local.get $out) (call $reentrant))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 11))
          (then
            (i32.store (local.get $out) (memory.grow (i32.load (local.get $pc))))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 12))
          (then
            (call $write_result (i32.const 16384) (i32.sub (local.get $out) (i32.const 16384)))
            (call $exit_early (i32.load8_u (local.get $pc)))
            unreachable))
        (if (i32.eq (local.get $op) (i32.const 13))
          (then
            (call $tstore (local.get $pc) (i32.add (local.get $pc) (i32.const 32)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 64)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 14))
          (then
            (call $tload (local.get $pc) (local.get $out))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 15))
          (then
            (local.set $n (i32.load8_u (local.get $pc)))
            (if (i32.eq (local.get $n) (i32.const 0))
              (then (call $math_div (i32.add (local.get $pc) (i32.const 1)) (i32.add (local.get $pc) (i32.const 33)))))
            (if (i32.eq (local.get $n) (i32.const 1))
              (then (call $math_mod (i32.add (local.get $pc) (i32.const 1)) (i32.add (local.get $pc) (i32.const 33)))))
            (if (i32.eq (local.get $n) (i32.const 2))
              (then (call $math_pow (i32.add (local.get $pc) (i32.const 1)) (i32.add (local.get $pc) (i32.const 33)))))
            (if (i32.eq (local.get $n) (i32.const 3))
              (then (call $math_add_mod (i32.add (local.get $pc) (i32.const 1)) (i32.add (local.get $pc) (i32.const 33))
                (i32.add (local.get $pc) (i32.const 65)))))
            (if (i32.eq (local.get $n) (i32.const 4))
              (then (call $math_mul_mod (i32.add (local.get $pc) (i32.const 1)) (i32.add (local.get $pc) (i32.const 33))
                (i32.add (local.get $pc) (i32.const 65)))))
            (memory.copy (local.get $out) (i32.add (local.get $pc) (i32.const 1)) (i32.const 32))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 97)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 16))
          (then
            (call $msg_sender (local.get $out))
            (call $contract_address (i32.add (local.get $out) (i32.const 20)))
            (call $tx_origin (i32.add (local.get $out) (i32.const 40)))
            (call $msg_value (i32.add (local.get $out) (i32.const 60)))
            (i64.store (i32.add (local.get $out) (i32.const 92)) (call $block_timestamp))
            (i64.store (i32.add (local.get $out) (i32.const 100)) (call $chainid))
            (i64.store (i32.add (local.get $out) (i32.const 108)) (call $block_number))
            (local.set $out (i32.add (local.get $out) (i32.const 116)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 17))
          (then
            (call $account_balance (local.get $pc) (local.get $out))
            (i32.store (i32.add (local.get $out) (i32.const 32)) (call $account_code_size (local.get $pc)))
            (call $account_codehash (local.get $pc) (i32.add (local.get $out) (i32.const 36)))
            (local.set $out (i32.add (local.get $out) (i32.const 68)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 20)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 18))
          (then
            (local.set $n (i32.load (local.get $pc)))
            (call $create1 (i32.add (local.get $pc) (i32.const 4)) (local.get $n) (i32.const 61000)
              (local.get $out) (i32.const 60000))
            (local.set $out (i32.add (local.get $out) (i32.const 20)))
            (local.set $pc (i32.add (i32.add (local.get $pc) (i32.const 4)) (local.get $n)))
            (br $next)))
        (if (i32.eq (local.get $op) (i32.const 19))
          (then
            (local.set $n (i32.load (i32.add (local.get $pc) (i32.const 32))))
            (call $create2 (i32.add (local.get $pc) (i32.const 36)) (local.get $n) (i32.const 61000)
              (local.get $pc) (local.get $out) (i32.const 60000))
            (local.set $out (i32.add (local.get $out) (i32.const 20)))
            (local.set $pc (i32.add (i32.add (local.get $pc) (i32.const 36)) (local.get $n)))
            (br $next)))
        unreachable))
    (call $write_result (i32.const 16384) (i32.sub (local.get $out) (i32.const 16384)))
    (i32.const 0)))
