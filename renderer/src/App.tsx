// A placeholder page until the console's screens (executions, passes, reports) land.
import { desktopBridge } from './bridge.ts';

export function App() {
  const version = desktopBridge()?.version;
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>Pass Console / 패스 콘솔</h1>
      <p>The console screens are coming: job executions, passes, bulk grants and reports.</p>
      <p>콘솔 화면은 곧 추가됩니다.</p>
      {version !== undefined && <p style={{ color: '#666' }}>v{version}</p>}
    </main>
  );
}
