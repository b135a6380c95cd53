/**
 * The runnable example of a package README: its first fenced code block whose info string is
 * `ts runnable` or `js runnable` (GitHub still highlights it as ts / js). The release check
 * compiles and runs exactly this code, so the README and the check cannot drift apart.
 *
 * @param {string} markdown - the README's text
 * @param {string} file - the README's path, for the error message
 * @returns {{ lang: 'ts' | 'js', code: string }}
 * @throws Error naming the README when it has no such block
 */
export function readmeExample(markdown, file) {
  const match = /^```(ts|js) runnable\n([\s\S]*?)^```$/m.exec(markdown);
  if (!match) {
    throw new Error(
      `${file}: no runnable example (a code block opened with \`\`\`ts runnable or \`\`\`js runnable)`,
    );
  }
  return { lang: match[1], code: match[2] };
}
