// A synthetic filter list of a given size, for memory measurements:
//   node -e "import('./tests/node/synthetic-list.mjs').then((m) => process.stdout.write(m.syntheticList(50)))" > big.txt

/** About `mb` MB of distinct filters in the shapes real lists have (hosts, paths, options, exceptions). */
export function syntheticList(mb) {
  const shapes = [
    (i) => `||host${i}.example^`,
    (i) => `||host${i}.example^$third-party`,
    (i) => `||px${i}.example/path${i}/pixel.gif?`,
    (i) => `/track${i}/beacon.js$script,third-party`,
    (i) => `||ads${i}.example^$third-party,domain=a${i}.example|b${i}.example|~c${i}.example`,
    (i) => `@@||cdn${i}.example/ok.js$script,domain=site${i}.example`,
    (i) => `example${i}.com##.ad-${i}`,
    (i) => `! comment ${i}`,
  ];
  const lines = [];
  for (let i = 0, size = 0; size < mb * 1048576; i += 1) {
    lines.push(shapes[i % shapes.length](i));
    size += lines.at(-1).length + 1;
  }
  return lines.join('\n');
}
