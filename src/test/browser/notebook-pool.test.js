#!/usr/bin/env node
// jpool in Jupyter Notebook (classic 6.x), as a user sees it in a real browser: Debian's Chromium, headless,
// driven by Playwright. Run by NotebookBrowserIT, which starts the notebook server and stops everything it
// started; by hand:
//
//   JPOOL_NOTEBOOK_URL=http://127.0.0.1:8888 JPOOL_NOTEBOOK_TOKEN=... node notebook-pool.test.js
//
// It opens a new notebook with the "Java (jpool)" kernel from the tree page, starts a pool of two workers,
// watches a map's live display move from a partial count to "20/20 done" after its cell returned, presses the
// toolbar's stop button while a blocking pool.map sleeps, and checks that the cell ends saying it was
// interrupted and that the next cell's map runs at once on both workers. Every wait is for a condition in the
// page, with a deadline. Screenshots go to JPOOL_SCREENSHOTS (default ../../../target/browser). Exit code 0
// means every check passed.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE = (process.env.JPOOL_NOTEBOOK_URL || '').replace(/\/$/, '');
const TOKEN = process.env.JPOOL_NOTEBOOK_TOKEN || '';
const CHROMIUM = process.env.JPOOL_CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.resolve(process.env.JPOOL_SCREENSHOTS || path.join(__dirname, '..', '..', '..', 'target', 'browser'));
/** Chromium's profile: fresh for every run; one made here is removed at the end. */
const OWN_PROFILE = !process.env.JPOOL_BROWSER_PROFILE;
const PROFILE = process.env.JPOOL_BROWSER_PROFILE || fs.mkdtempSync(path.join(os.tmpdir(), 'jpool-chromium-'));
/** Longest the whole run may take; the Java side has its own, longer limit. */
const TOTAL_MS = 240_000;

const started = Date.now();
function log(msg) {
  console.log(`[browser ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
}

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CheckFailed(message);
  }
}

/** Waits for fn(arg) to return a truthy value in the page; fails with `what` after ms milliseconds. */
async function waitInPage(page, what, ms, fn, arg) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout: ms, polling: 50 });
    return await handle.jsonValue();
  } catch (e) {
    if (e.name === 'TimeoutError') {
      throw new CheckFailed(`${what}: not within ${ms / 1000} s`);
    }
    throw e;
  }
}

/**
 * The state of code cell i, read from the DOM: its prompt, its output text, whether it shows an error. It runs
 * in the page, installed there as window.jpoolCellState.
 */
function cellState(i) {
  const cell = document.querySelectorAll('#notebook-container .cell.code_cell')[i];
  if (!cell) {
    return null;
  }
  const prompt = cell.querySelector('.input_prompt').textContent.replace(/\s+/g, ' ').trim();
  const output = cell.querySelector('.output');
  return {
    prompt,
    finished: /\[\d+\]/.test(prompt),
    output: output ? output.innerText : '',
    error: output ? output.querySelector('.output_error') !== null : false,
  };
}

/**
 * Types code into the notebook's last (empty) cell as a paste would, runs it with Shift+Enter and returns the
 * cell's index. Pasting keeps CodeMirror's bracket auto-closing out of the way.
 */
async function runCell(page, code) {
  const cells = page.locator('#notebook-container .cell.code_cell');
  const index = (await cells.count()) - 1;
  const cell = cells.nth(index);
  // an empty CodeMirror line holds a zero-width space
  const text = (await cell.locator('.CodeMirror-code').innerText()).replace(/[\s\u200b]/g, '');
  check(text === '', `cell ${index} is not empty: ${text}`);
  await cell.locator('.CodeMirror').click();
  await page.keyboard.insertText(code);
  await page.keyboard.press('Shift+Enter');
  log(`ran cell ${index}: ${code.split('\n')[0]}${code.includes('\n') ? ' ...' : ''}`);
  return index;
}

/** Waits until cell i has finished (a numbered prompt) and returns its state; fails if it shows an error. */
async function finished(page, i, ms, what) {
  const state = await waitInPage(page, `${what} (cell ${i} finished)`, ms,
    i => { const s = window.jpoolCellState(i); return s && s.finished ? s : null; }, i);
  check(!state.error, `${what}: cell ${i} failed:\n${state.output}`);
  return state;
}

/** Waits until cell i satisfies a condition given as a regular expression source over its output text. */
async function outputMatches(page, i, pattern, ms, what) {
  return waitInPage(page, what, ms,
    ([i, pattern]) => {
      const s = window.jpoolCellState(i);
      const m = s && s.output.match(new RegExp(pattern));
      return m ? { state: s, groups: Array.from(m) } : null;
    },
    [i, pattern]);
}

async function shot(page, name) {
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot ${file}`);
}

/** Opens a new notebook with the jpool kernel the way a user does: New, then "Java (jpool)" on the tree page. */
async function openNotebook(context) {
  const tree = context.pages()[0] || await context.newPage();
  await tree.goto(`${BASE}/tree?token=${encodeURIComponent(TOKEN)}`);
  await tree.click('#new-dropdown-button');
  const [page] = await Promise.all([context.waitForEvent('page'), tree.click('#kernel-jpool a')]);
  page.on('pageerror', e => log(`page error: ${e.message}`));
  page.on('dialog', d => { log(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.waitForLoadState();
  const kernel = await waitInPage(page, 'the notebook connects to an idle jpool kernel', 90_000,
    () => {
      const nb = window.Jupyter && window.Jupyter.notebook;
      const idle = document.querySelector('#kernel_indicator_icon.kernel_idle_icon');
      return nb && nb.kernel && idle ? nb.kernel.name : null;
    });
  check(kernel === 'jpool', `the new notebook runs kernel ${kernel}, not jpool`);
  const version = await page.evaluate(() => window.Jupyter.version);
  log(`notebook ${page.url().replace(/\?.*/, '')} (Jupyter Notebook ${version}) with kernel ${kernel}`);
  await page.evaluate(`window.jpoolCellState = ${cellState}`);
  await tree.close();
  return page;
}

async function scenario(page) {
  // a pool, and a helper that reads like Python's range
  let c = await runCell(page, [
    'import jpool.*;',
    'Pool pool = Pool.create(2);',
    'List<Integer> range(int n) { return IntStream.range(0, n).boxed().toList(); }',
    'pool.processes()',
  ].join('\n'));
  let s = await finished(page, c, 90_000, 'the pool starts');
  check(/\b2\b/.test(s.output), `pool.processes() shows ${JSON.stringify(s.output)}, not 2`);

  // a live display: the cell returns at once, the display keeps counting while the tasks run, then shows the end
  c = await runCell(page, 'var r = pool.mapAsync(x -> { Thread.sleep(300); return x; }, range(20), 1);\nr');
  const partial = await waitInPage(page, 'the map\'s display shows a partial count after its cell returned', 60_000,
    i => {
      const s = window.jpoolCellState(i);
      const m = s && s.finished && s.output.match(/(\d+)\s*\/\s*20 done/);
      return m && +m[1] > 0 && +m[1] < 20 ? { done: +m[1], output: s.output } : null;
    }, c);
  log(`mid-way the display reads: ${partial.output.split('\n')[0]}`);
  await shot(page, '1-map-partial.png');
  const complete = await outputMatches(page, c, '20\\s*/\\s*20 done', 60_000, 'the map\'s display reaches 20/20 done');
  check(!/\b[1-9]\d* (running|queued)\b/.test(complete.state.output),
    `the finished display still counts running or queued tasks:\n${complete.state.output}`);
  log(`at the end the display reads: ${complete.state.output.split('\n')[0]}`);
  await shot(page, '2-map-done.png');
  c = await runCell(page, 'r.get().equals(range(20))');
  s = await finished(page, c, 30_000, 'the map\'s result');
  check(/\btrue\b/.test(s.output), `r.get() is not [0..19]: ${s.output}`);

  // the stop button during a blocking map of sleeping tasks
  c = await runCell(page,
    'pool.map(x -> { System.out.println("sleeping " + x); Thread.sleep(20_000); return x; }, range(8), 1)');
  await outputMatches(page, c, 'sleeping \\d', 60_000, 'the blocking map\'s tasks start sleeping');
  const stop = page.locator('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
  check(await stop.isVisible(), 'the toolbar has no visible interrupt (stop) button');
  const clicked = Date.now();
  await stop.click();
  log('clicked the toolbar\'s stop button');
  const ended = await waitInPage(page, 'the interrupted cell ends', 30_000,
    i => { const s = window.jpoolCellState(i); return s && s.finished ? s : null; }, c);
  const took = (Date.now() - clicked) / 1000;
  check(ended.error && /Interrupted/.test(ended.output),
    `the stopped cell does not end with the Interrupted message:\n${ended.output}`);
  check(/cancelled/.test(ended.output), `the Interrupted message does not say what it cancelled:\n${ended.output}`);
  log(`the cell ended ${took.toFixed(1)} s after the click: ${ended.output.split('\n').filter(l => /Interrupted/.test(l)).join(' ')}`);
  await shot(page, '3-interrupted.png');

  // the pool is usable at once and both workers are free: a map, then a run on each worker (which would queue
  // behind any sleeping task that was still running)
  c = await runCell(page, 'pool.map(x -> x * 2, range(4)) + " and " + pool.onEachWorker(() -> "ready").size() + " workers ready"');
  s = await finished(page, c, 15_000, 'after the interrupt the next map runs at once on a full pool');
  check(/\[0, 2, 4, 6\] and 2 workers ready/.test(s.output), `the next map shows ${JSON.stringify(s.output)}`);
  await shot(page, '4-after-interrupt.png');

  c = await runCell(page, 'pool.close();');
  await finished(page, c, 60_000, 'pool.close()');
}

async function main() {
  check(BASE !== '', 'set JPOOL_NOTEBOOK_URL to the notebook server, e.g. http://127.0.0.1:8888');
  check(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set JPOOL_CHROMIUM`);
  fs.mkdirSync(SHOTS, { recursive: true });
  log(`Chromium ${CHROMIUM}, profile ${PROFILE}`);
  const context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-dev-shm-usage'], // containers often have a /dev/shm too small for Chromium's renderers
    viewport: { width: 1280, height: 900 },
  });
  let page = null;
  const timer = setTimeout(() => {
    console.error(`FAILED: the browser test did not finish within ${TOTAL_MS / 1000} s`);
    (page ? shot(page, 'failure.png') : Promise.resolve()).catch(() => {}).finally(() => context.close()
      .finally(() => process.exit(1)));
  }, TOTAL_MS);
  try {
    page = await openNotebook(context);
    await scenario(page);
    log('PASSED');
  } catch (e) {
    console.error(`FAILED: ${e instanceof CheckFailed ? e.message : e.stack}`);
    if (page) {
      await shot(page, 'failure.png').catch(s => console.error(`no failure screenshot: ${s.message}`));
      const cells = await page.evaluate(() => Array.from(document.querySelectorAll('.cell.code_cell'),
        c => c.innerText)).catch(() => []);
      cells.forEach((t, i) => console.error(`--- cell ${i}\n${t}`));
    }
    process.exitCode = 1;
  } finally {
    clearTimeout(timer);
    await context.close();
    if (OWN_PROFILE) {
      fs.rmSync(PROFILE, { recursive: true, force: true });
    }
  }
}

main().catch(e => { console.error(e); process.exit(1); });
