// Piscina entry point for the demo gym chosen on the desktop's first-run screen: its ~20,000 rows
// are written on this thread, over its own connection, so the thread serving people stays free.
import { seedDemoGymTask } from '../main/pass/demo/demoGymThread.ts';

export default seedDemoGymTask;
