/** The recording's groupings live in src/shared (the sidebar uses them too). */
export {
  packageLabel,
  summarizeHotspots,
  summarizePackages,
  summarizeStarved,
} from '../shared/protocol/stallGroups';
