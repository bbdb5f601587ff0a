// The greeter world's export, built into greeter-js.component.wasm by
// ../build-js.sh with componentize-js.
export function greet(name) {
  return `Hello, ${name}!`;
}
