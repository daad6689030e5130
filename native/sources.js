// Prints one field of sources.json for binding.gyp's <!@(...) expansions, so
// node-gyp builds exactly what CMakeLists.txt builds.
//   node native/sources.js sources | defines | flags | include_dirs
//   node native/sources.js isa <name> sources|flags|define
const spec = require('./sources.json');
const [what, name, field] = process.argv.slice(2);
let out;
if (what === 'isa') {
  const isa = spec.isa.find((i) => i.name === name);
  if (!isa) throw new Error(`unknown ISA ${name}`);
  out = isa[field];
} else {
  out = spec[what];
}
if (out === undefined) throw new Error(`sources.json has no field ${what}`);
console.log([].concat(out).join(' '));
