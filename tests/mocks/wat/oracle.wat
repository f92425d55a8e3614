;; Answers every call with its stored 32-byte word; calldata `0xFF ‖ word` (33 bytes, which no
;; ABI call can be) stores a new word. Stands in for a peer whose one answer matters: an
;; AllocationManager's redistribution recipient, an EIP-1271 wallet's magic value.
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $pay (i32.const 0))
    (call $read_args (i32.const 256))
    (if (i32.and (i32.eq (local.get $len) (i32.const 33)) (i32.eq (i32.load8_u (i32.const 256)) (i32.const 255)))
      (then
        (call $cache (i32.const 0) (i32.const 257))
        (call $flush (i32.const 0))
        (return (i32.const 0))))
    (call $load (i32.const 0) (i32.const 64))
    (call $write_result (i32.const 64) (i32.const 32))
    (i32.const 0)))
