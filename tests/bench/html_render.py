#!/usr/bin/env python3
"""html_render.py FILE [JS]: how long Chromium takes to show an HTML page
(e.g. what gaps --html wrote). Loads FILE in headless chromium driven over
the DevTools pipe and prints the wall time from navigation to the load event
plus a forced layout of the whole page, and the renderer's own
LayoutDuration, RecalcStyleDuration and TaskDuration over that span, and the
DOM's node count. With JS (e.g. "document.querySelector('details').open=true"),
then runs it, forces a layout again and prints that step's time too."""
import json, os, shutil, subprocess, sys, tempfile, time

PROFILE = tempfile.mkdtemp(prefix='bf-render.')

r1, w1 = os.pipe()
r2, w2 = os.pipe()
def pre():
    os.dup2(r1, 3); os.dup2(w2, 4)
p = subprocess.Popen(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe',
                      '--user-data-dir=' + PROFILE, '--no-first-run', '--disable-extensions',
                      '--window-size=1400,1000', 'about:blank'],
                     pass_fds=(3, 4), preexec_fn=pre, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(r1); os.close(w2)
out = os.fdopen(w1, 'wb', buffering=0)
inp = os.fdopen(r2, 'rb', buffering=0)
buf = b''
n = 0
def send(method, params=None, session=None):
    global n
    n += 1
    m = {'id': n, 'method': method, 'params': params or {}}
    if session: m['sessionId'] = session
    out.write(json.dumps(m).encode() + b'\0')
    return n
def recv():
    global buf
    while b'\0' not in buf:
        c = inp.read(65536)
        if not c: raise SystemExit('chromium closed the pipe')
        buf += c
    m, buf = buf.split(b'\0', 1)
    return json.loads(m)
def call(method, params=None, session=None):
    i = send(method, params, session)
    while True:
        m = recv()
        if m.get('id') == i:
            if 'error' in m: raise SystemExit(str(m['error']))
            return m['result']
def wait_event(name):
    while True:
        m = recv()
        if m.get('method') == name: return m
targets = call('Target.getTargets')['targetInfos']
page = [t for t in targets if t['type'] == 'page'][0]
s = call('Target.attachToTarget', {'targetId': page['targetId'], 'flatten': True})['sessionId']
call('Page.enable', session=s); call('Performance.enable', session=s)
def metrics():
    return {x['name']: x['value'] for x in call('Performance.getMetrics', session=s)['metrics']}
m0 = metrics()
t0 = time.time()
call('Page.navigate', {'url': 'file://' + os.path.abspath(sys.argv[1])}, session=s)
wait_event('Page.loadEventFired')
call('Runtime.evaluate', {'expression': 'document.documentElement.getBoundingClientRect().height'}, session=s)
t1 = time.time()
m1 = metrics()
res = 'load+layout wall %.0f ms, renderer: layout %.2f s, style %.2f s, tasks %.2f s, nodes %d' % (
    (t1 - t0) * 1000, m1['LayoutDuration'] - m0['LayoutDuration'], m1['RecalcStyleDuration'] - m0['RecalcStyleDuration'],
    m1['TaskDuration'] - m0['TaskDuration'], m1['Nodes'])
if len(sys.argv) > 2:
    t2 = time.time()
    call('Runtime.evaluate', {'expression': sys.argv[2] + ';document.documentElement.getBoundingClientRect().height'}, session=s)
    t3 = time.time()
    m2 = metrics()
    res += '; then %s: %.0f ms, layout %.2f s' % (sys.argv[2][:30], (t3 - t2) * 1000, m2['LayoutDuration'] - m1['LayoutDuration'])
print(res, 'load', open('/proc/loadavg').read().split()[0])
try: call('Browser.close')
except SystemExit: pass
p.wait()
shutil.rmtree(PROFILE, ignore_errors=True)
