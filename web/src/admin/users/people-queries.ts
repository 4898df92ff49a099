// Users and groups as TanStack Query keys and hooks. A user's change can show in a group's member
// list (display name, removal on delete), so changing users asks the groups again too.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { Group } from "../../../../src/contract/groups.js";
import type { User } from "../../../../src/contract/users.js";
import { client } from "../../ui/api-client.js";

export const peopleKeys = { users: ["users"] as const, groups: ["groups"] as const };

const byUsername = (users: readonly User[]): User[] => [...users].sort((a, b) => a.username.localeCompare(b.username));
const byName = (groups: readonly Group[]): Group[] => [...groups].sort((a, b) => a.name.localeCompare(b.name));

export const useUserList = () => useQuery({ queryKey: peopleKeys.users, queryFn: async () => byUsername((await client.listUsers()).users) });

export const useGroupList = () => useQuery({ queryKey: peopleKeys.groups, queryFn: async () => byName((await client.listGroups()).groups) });

export interface PeopleChanges {
  /** One user was created or changed: shown at once, groups load again. */
  readonly userChanged: (user: User) => void;
  readonly userDeleted: (id: string) => void;
  /** One group was created or changed: shown at once. */
  readonly groupChanged: (group: Group) => void;
  readonly groupDeleted: (id: string) => void;
}

export function usePeopleChanges(): PeopleChanges {
  const queryClient = useQueryClient();
  return useMemo(() => {
    const setUsers = (change: (users: readonly User[]) => readonly User[]): void => {
      queryClient.setQueryData<User[]>(peopleKeys.users, (users) => (users === undefined ? users : byUsername(change(users))));
      void queryClient.invalidateQueries({ queryKey: peopleKeys.groups });
    };
    const setGroups = (change: (groups: readonly Group[]) => readonly Group[]): void => {
      queryClient.setQueryData<Group[]>(peopleKeys.groups, (groups) => (groups === undefined ? groups : byName(change(groups))));
    };
    return {
      userChanged: (user) => setUsers((users) => [...users.filter((u) => u.id !== user.id), user]),
      userDeleted: (id) => setUsers((users) => users.filter((u) => u.id !== id)),
      groupChanged: (group) => setGroups((groups) => [...groups.filter((g) => g.id !== group.id), group]),
      groupDeleted: (id) => setGroups((groups) => groups.filter((g) => g.id !== id)),
    };
  }, [queryClient]);
}

/** "Bob Durand (bob)", or just "bob" when the display name says nothing more. */
export const personLabel = (person: { readonly username: string; readonly displayName: string }): string =>
  person.displayName === "" || person.displayName === person.username ? person.username : `${person.displayName} (${person.username})`;
