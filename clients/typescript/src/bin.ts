// The swarmctl program (bin/swarmctl.js runs the compiled copy of this file).
import { main } from './cli/main';

main();
