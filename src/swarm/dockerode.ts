import { dirname } from 'node:path';
import type DockerType from 'dockerode';

/**
 * dockerode, without the modules it loads for what this product never does. When it loads it
 * requires ssh2 (engines reached over ssh://) and @grpc/grpc-js with @grpc/proto-loader
 * (BuildKit sessions of image builds): about 20 MB resident in every process, for nothing,
 * since engines are reached over unix:// and tcp:// only (DOCKER_HOST and NODE_ENGINES are
 * validated so). Those three are put in the module cache as stubs before dockerode loads;
 * using one of them throws. When dockerode was loaded earlier in the process (tests that use
 * it directly), it is used as it is.
 */
function unsupported(what: string): never {
  throw new Error(`${what} is not supported: engines are reached over unix:// or tcp://`);
}

function stub(request: string, from: string, exports: unknown): void {
  let path: string;
  try {
    path = require.resolve(request, { paths: [dirname(require.resolve(from))] });
  } catch {
    return; // not installed: nothing would load it either
  }
  if (require.cache[path]) return;
  require.cache[path] = { id: path, filename: path, path: dirname(path), loaded: true, exports, children: [], paths: [] } as unknown as NodeModule;
}

function load(): typeof DockerType {
  if (!require.cache[require.resolve('dockerode')]) {
    stub('ssh2', 'docker-modem', {
      Client: class {
        constructor() {
          unsupported('an ssh:// engine');
        }
      },
    });
    const session = () => unsupported('a BuildKit session');
    stub('@grpc/grpc-js', 'dockerode', { Server: session, ServerCredentials: { createInsecure: session } });
    stub('@grpc/proto-loader', 'dockerode', { loadSync: session });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('dockerode') as typeof DockerType;
}

const Docker = load();
type Docker = DockerType;
export default Docker;
