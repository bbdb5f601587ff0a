;; A guest of wasi:sockets written by hand (no toolchain builds one for
;; this runtime's tests): its export "listen" creates an IPv4 TCP socket,
;; binds it to 127.0.0.1:0, listens and returns the port local-address
;; reports; it traps when a call fails. The import types are those
;; wit-component makes for WASI 0.2.0 (types used by functions are
;; exported from each instance, resources are shared through aliases).
(component
  (import "wasi:sockets/network@0.2.0" (instance $netinst
    (export "network" (type (sub resource)))))
  (alias export $netinst "network" (type $network))
  (import "wasi:sockets/instance-network@0.2.0" (instance $inet
    (alias outer 1 $network (type $n))
    (export "network" (type $n2 (eq $n)))
    (export "instance-network" (func (result (own $n2))))))
  (import "wasi:sockets/tcp@0.2.0" (instance $tcp
    (alias outer 1 $network (type $n))
    (export "network" (type $net (eq $n)))
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument" "out-of-memory"
      "timeout" "concurrency-conflict" "not-in-progress" "would-block" "invalid-state" "new-socket-limit"
      "address-not-bindable" "address-in-use" "remote-unreachable" "connection-refused" "connection-reset"
      "connection-aborted" "datagram-too-large" "name-unresolvable" "temporary-resolver-failure"
      "permanent-resolver-failure"))
    (export "error-code" (type $ec2 (eq $ec)))
    (type $v4 (tuple u8 u8 u8 u8))
    (export "ipv4-address" (type $v4e (eq $v4)))
    (type $v6 (tuple u16 u16 u16 u16 u16 u16 u16 u16))
    (export "ipv6-address" (type $v6e (eq $v6)))
    (type $a4 (record (field "port" u16) (field "address" $v4e)))
    (export "ipv4-socket-address" (type $a4e (eq $a4)))
    (type $a6 (record (field "port" u16) (field "flow-info" u32) (field "address" $v6e) (field "scope-id" u32)))
    (export "ipv6-socket-address" (type $a6e (eq $a6)))
    (type $sa (variant (case "ipv4" $a4e) (case "ipv6" $a6e)))
    (export "ip-socket-address" (type $sa2 (eq $sa)))
    (export "tcp-socket" (type $sock (sub resource)))
    (export "[method]tcp-socket.start-bind" (func (param "self" (borrow $sock)) (param "network" (borrow $net))
      (param "local-address" $sa2) (result (result (error $ec2)))))
    (export "[method]tcp-socket.finish-bind" (func (param "self" (borrow $sock)) (result (result (error $ec2)))))
    (export "[method]tcp-socket.start-listen" (func (param "self" (borrow $sock)) (result (result (error $ec2)))))
    (export "[method]tcp-socket.finish-listen" (func (param "self" (borrow $sock)) (result (result (error $ec2)))))
    (export "[method]tcp-socket.local-address" (func (param "self" (borrow $sock)) (result (result $sa2 (error $ec2)))))))
  (alias export $tcp "tcp-socket" (type $tcp-socket))
  (import "wasi:sockets/tcp-create-socket@0.2.0" (instance $tcs
    (alias outer 1 $tcp-socket (type $s))
    (export "tcp-socket" (type $s2 (eq $s)))
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument" "out-of-memory"
      "timeout" "concurrency-conflict" "not-in-progress" "would-block" "invalid-state" "new-socket-limit"
      "address-not-bindable" "address-in-use" "remote-unreachable" "connection-refused" "connection-reset"
      "connection-aborted" "datagram-too-large" "name-unresolvable" "temporary-resolver-failure"
      "permanent-resolver-failure"))
    (export "error-code" (type $ec2 (eq $ec)))
    (type $fam (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type $fam2 (eq $fam)))
    (export "create-tcp-socket" (func (param "address-family" $fam2) (result (result (own $s2) (error $ec2)))))))

  (core module $mem (memory (export "memory") 1))
  (core instance $memi (instantiate $mem))
  (alias core export $memi "memory" (core memory $memory))

  (core func $instance-network (canon lower (func $inet "instance-network")))
  (core func $create (canon lower (func $tcs "create-tcp-socket") (memory $memory)))
  (core func $start-bind (canon lower (func $tcp "[method]tcp-socket.start-bind") (memory $memory)))
  (core func $finish-bind (canon lower (func $tcp "[method]tcp-socket.finish-bind") (memory $memory)))
  (core func $start-listen (canon lower (func $tcp "[method]tcp-socket.start-listen") (memory $memory)))
  (core func $finish-listen (canon lower (func $tcp "[method]tcp-socket.finish-listen") (memory $memory)))
  (core func $local-address (canon lower (func $tcp "[method]tcp-socket.local-address") (memory $memory)))

  (core module $m
    (import "" "memory" (memory 1))
    (import "" "instance-network" (func $instance-network (result i32)))
    (import "" "create" (func $create (param i32 i32)))
    (import "" "start-bind" (func $start-bind (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
    (import "" "finish-bind" (func $finish-bind (param i32 i32)))
    (import "" "start-listen" (func $start-listen (param i32 i32)))
    (import "" "finish-listen" (func $finish-listen (param i32 i32)))
    (import "" "local-address" (func $local-address (param i32 i32)))
    ;; check traps unless the result<_, error-code> at 16 is ok.
    (func $check
      (if (i32.load8_u (i32.const 16)) (then unreachable)))
    (func (export "listen") (result i32) (local $net i32) (local $sock i32)
      (local.set $net (call $instance-network))
      (call $create (i32.const 0) (i32.const 8))
      (if (i32.load8_u (i32.const 8)) (then unreachable))
      (local.set $sock (i32.load (i32.const 12)))
      ;; 127.0.0.1:0: case ipv4, port 0, address (127, 0, 0, 1)
      (call $start-bind (local.get $sock) (local.get $net)
        (i32.const 0) (i32.const 0) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 16))
      (call $check)
      (call $finish-bind (local.get $sock) (i32.const 16))
      (call $check)
      (call $start-listen (local.get $sock) (i32.const 16))
      (call $check)
      (call $finish-listen (local.get $sock) (i32.const 16))
      (call $check)
      ;; result<ip-socket-address, error-code> at 32: the variant at 36,
      ;; its record at 40 (port first).
      (call $local-address (local.get $sock) (i32.const 32))
      (if (i32.load8_u (i32.const 32)) (then unreachable))
      (if (i32.load8_u (i32.const 36)) (then unreachable)) ;; not ipv4
      (i32.load16_u (i32.const 40))))
  (core instance $ci (instantiate $m (with "" (instance
    (export "memory" (memory $memory))
    (export "instance-network" (func $instance-network))
    (export "create" (func $create))
    (export "start-bind" (func $start-bind))
    (export "finish-bind" (func $finish-bind))
    (export "start-listen" (func $start-listen))
    (export "finish-listen" (func $finish-listen))
    (export "local-address" (func $local-address))))))
  (func (export "listen") (result u16) (canon lift (core func $ci "listen")))
)
