import { hashClientSecret, placeholderSecretHash, verifyClientSecret } from './client-secret.hasher';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLIENT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** A machine-to-machine client the dev issuer knows. */
export interface DevClientDefinition {
  readonly clientId: string;
  /** The secret in plain text. It is hashed when the client is registered and not kept. */
  readonly secret?: string;
  /** A hash from `hashClientSecret()`, for configurations that must not hold the secret itself. */
  readonly secretHash?: string;
  /** Display name, shown in banners. */
  readonly name?: string;
  /** The client's company, a lower-case UUID, put in the namespaced claim. */
  readonly companyId: string;
  /** The client's corporation, a lower-case UUID, for clients that may reach every company of one corporation. */
  readonly corporationId?: string;
  /** Scopes the client is granted. Default: none. */
  readonly scopes?: readonly string[];
  /** Audiences the client may request tokens for. Default: every audience the issuer serves. */
  readonly audiences?: readonly string[];
}

/** A registered client, with its secret replaced by a salted hash. */
export interface RegisteredClient extends Omit<DevClientDefinition, 'secret' | 'secretHash'> {
  readonly secretHash: string;
  readonly revoked: boolean;
}

/** The clients of the dev issuer. Secrets are stored only as scrypt hashes and compared in constant time. */
export class DevClientRegistry {
  private readonly clients = new Map<string, RegisteredClient>();

  /**
   * Registers a client, hashing its secret.
   *
   * @throws TypeError for an invalid client id, company id, corporation id or a missing secret
   */
  async register(definition: DevClientDefinition): Promise<RegisteredClient> {
    if (!CLIENT_ID.test(definition.clientId)) {
      throw new TypeError(`Dev client id ${JSON.stringify(definition.clientId)} must be 1 to 128 letters, digits, ".", "_" or "-"`);
    }
    if (!UUID.test(definition.companyId)) {
      throw new TypeError(`Dev client "${definition.clientId}": companyId must be a lower-case UUID`);
    }
    if (definition.corporationId !== undefined && !UUID.test(definition.corporationId)) {
      throw new TypeError(`Dev client "${definition.clientId}": corporationId must be a lower-case UUID`);
    }
    if ((definition.secret === undefined) === (definition.secretHash === undefined)) {
      throw new TypeError(`Dev client "${definition.clientId}": set exactly one of secret and secretHash`);
    }

    const { secret, secretHash, ...rest } = definition;
    const client: RegisteredClient = {
      ...rest,
      secretHash: secretHash ?? (await hashClientSecret(secret as string)),
      revoked: false,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Revokes a client: its credentials stop working, as when a client is deleted in Auth0. */
  revoke(clientId: string): void {
    const client = this.clients.get(clientId);
    if (client !== undefined) {
      this.clients.set(clientId, { ...client, revoked: true });
    }
  }

  /** Finds a registered client, revoked or not. */
  find(clientId: string): RegisteredClient | undefined {
    return this.clients.get(clientId);
  }

  /** Every registered client. */
  list(): RegisteredClient[] {
    return [...this.clients.values()];
  }

  /**
   * Checks a client's credentials. An unknown client id costs as much time as a wrong secret.
   *
   * Returns the client, or undefined when the id is unknown, the client is revoked or the secret is wrong.
   */
  async authenticate(clientId: string, secret: string): Promise<RegisteredClient | undefined> {
    const client = this.clients.get(clientId);
    const matches = await verifyClientSecret(secret, client?.secretHash ?? (await placeholderSecretHash()));
    return client !== undefined && matches && !client.revoked ? client : undefined;
  }
}
