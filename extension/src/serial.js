// Serialises async work: each task starts after the previous one settled, so writes never interleave.
export function serial() {
  let tail = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => {});
    return run;
  };
}
