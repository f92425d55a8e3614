;; Reverts every call with the 4 bytes 0xDEADBEEF.
(module
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\de\ad\be\ef")
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $pay (i32.const 0))
    (call $write_result (i32.const 0) (i32.const 4))
    (i32.const 1)))
