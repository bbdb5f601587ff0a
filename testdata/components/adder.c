// Core module for world docs:adder/adder, in C: the world-level export
// add: func(x: s32, y: s32) -> s32 is the core export "add". Built with
// -nostdlib for wasm32-unknown-unknown, so it imports nothing.
// Signed overflow is undefined in C; add as unsigned so that the sum
// wraps like i32.add.
__attribute__((export_name("add"))) int add(int x, int y) {
  return (int)((unsigned)x + (unsigned)y);
}
